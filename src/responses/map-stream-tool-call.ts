import type { CodexEvent } from '../backend/event-schemas';
import type { ItemState, OutputItem, StreamMappingState } from './map-stream-state';

/**
 * Calls of tools the caller executes: function and custom tools (their input streamed as tool-input
 * parts), `apply_patch` and `local_shell`.
 */

export function startToolInput(
  s: StreamMappingState,
  event: CodexEvent,
  item: OutputItem<'function_call' | 'custom_tool_call' | 'apply_patch_call'>,
  toolName: string,
): ItemState {
  const state: ItemState = { kind: 'tool-input', id: item.call_id, streamed: false };
  s.track(event, item.id, state);
  s.sink.enqueue({
    type: 'tool-input-start',
    id: item.call_id,
    toolName,
    // A custom tool's input is raw text, not JSON.
    ...(item.type === 'custom_tool_call' && { inputEncoding: 'text' as const }),
  });
  return state;
}

/** `response.function_call_arguments.delta` and `response.custom_tool_call_input.delta`. */
export function mapToolInputDelta(s: StreamMappingState, event: CodexEvent) {
  const delta = event.delta;
  if (typeof delta !== 'string') return s.emitInvalid(event);
  const state = s.findItem(event);
  if (state == null) return;
  state.streamed = true;
  s.sink.enqueue({ type: 'tool-input-delta', id: state.id, delta });
}

export function endToolCall(
  s: StreamMappingState,
  event: CodexEvent,
  item: OutputItem<'function_call' | 'custom_tool_call'>,
  state: ItemState | undefined,
): void {
  const toolName = s.toolNameMapping.toCustomToolName(item.name);
  if (state == null) startToolInput(s, event, item, toolName);
  s.untrack(event, item.id);
  s.hasFunctionCall = true;
  s.sink.enqueue({ type: 'tool-input-end', id: item.call_id });
  s.sink.enqueue({
    type: 'tool-call',
    toolCallId: item.call_id,
    toolName,
    // A custom tool's input is raw text; the tool's input schema is a string.
    input: item.type === 'function_call' ? (item.arguments ?? '') : JSON.stringify(item.input ?? ''),
    ...(item.id != null && { providerMetadata: { codex: { itemId: item.id } } }),
  });
}

export function endApplyPatchCall(
  s: StreamMappingState,
  event: CodexEvent,
  item: OutputItem<'apply_patch_call'>,
  state: ItemState | undefined,
): void {
  const toolName = s.toolNameMapping.toCustomToolName('apply_patch');
  if (state == null) startToolInput(s, event, item, toolName);
  s.untrack(event, item.id);
  s.sink.enqueue({ type: 'tool-input-end', id: item.call_id });
  if (item.status === 'completed') {
    s.hasFunctionCall = true;
    s.sink.enqueue({
      type: 'tool-call',
      toolCallId: item.call_id,
      toolName,
      input: JSON.stringify({ callId: item.call_id, operation: item.operation }),
      ...(item.id != null && { providerMetadata: { codex: { itemId: item.id } } }),
    });
  }
}

export function mapLocalShellCall(s: StreamMappingState, item: OutputItem<'local_shell_call'>): void {
  s.sink.enqueue({
    type: 'tool-call',
    toolCallId: item.call_id,
    toolName: s.toolNameMapping.toCustomToolName('local_shell'),
    input: JSON.stringify({
      action: {
        type: 'exec',
        command: item.action.command,
        timeoutMs: item.action.timeout_ms ?? undefined,
        user: item.action.user ?? undefined,
        workingDirectory: item.action.working_directory ?? undefined,
        env: item.action.env ?? undefined,
      },
    }),
    ...(item.id != null && { providerMetadata: { codex: { itemId: item.id } } }),
  });
}
