import type { CodexEvent } from '../backend/event-schemas';
import type { ItemState, OutputItem, StreamMappingState } from './map-stream-state';

/** Calls of tools the backend executes itself (web search, image generation): a tool call and its result. */

function startHostedToolCall(
  s: StreamMappingState,
  event: CodexEvent,
  item: { id: string },
  toolName: string,
) {
  s.track(event, item.id, { kind: 'hosted', id: item.id, streamed: false });
  s.sink.enqueue({
    type: 'tool-call',
    toolCallId: item.id,
    toolName,
    input: '{}',
    providerExecuted: true,
  });
}

export function startWebSearch(
  s: StreamMappingState,
  event: CodexEvent,
  item: OutputItem<'web_search_call'>,
): void {
  s.sink.enqueue({
    type: 'tool-input-start',
    id: item.id,
    toolName: s.webSearchToolName,
    providerExecuted: true,
  });
  s.sink.enqueue({ type: 'tool-input-end', id: item.id });
  startHostedToolCall(s, event, item, s.webSearchToolName);
}

export function endWebSearch(
  s: StreamMappingState,
  event: CodexEvent,
  item: OutputItem<'web_search_call'>,
  state: ItemState | undefined,
): void {
  const action = item.action;
  if (state == null) startHostedToolCall(s, event, item, s.webSearchToolName);
  s.untrack(event, item.id);
  s.sink.enqueue({
    type: 'tool-result',
    toolCallId: item.id,
    toolName: s.webSearchToolName,
    ...(item.status === 'completed'
      ? { result: webSearchResultOf(action) }
      : { isError: true, result: { status: item.status ?? 'unknown' } }),
  });
  if (action?.type === 'search') {
    for (const source of action.sources ?? []) {
      if (source.type !== 'url') continue;
      s.hasWebSearchActionSources = true;
      s.sink.enqueue({ type: 'source', sourceType: 'url', id: s.generateId(), url: source.url });
    }
  }
}

function webSearchResultOf(action: OutputItem<'web_search_call'>['action']) {
  if (action == null) return {};
  switch (action.type) {
    case 'search':
      return {
        action: {
          type: 'search',
          ...(action.query != null && { query: action.query }),
          ...(action.queries != null && { queries: action.queries }),
        },
        ...(action.sources != null && { sources: action.sources }),
      };
    case 'open_page':
      return { action: { type: 'openPage', url: action.url ?? null } };
    case 'find_in_page':
      return { action: { type: 'findInPage', url: action.url ?? null, pattern: action.pattern ?? null } };
  }
}

export function startImageGeneration(
  s: StreamMappingState,
  event: CodexEvent,
  item: OutputItem<'image_generation_call'>,
): void {
  startHostedToolCall(s, event, item, s.toolNameMapping.toCustomToolName('image_generation'));
}

export function endImageGeneration(
  s: StreamMappingState,
  event: CodexEvent,
  item: OutputItem<'image_generation_call'>,
  state: ItemState | undefined,
): void {
  if (state == null) startImageGeneration(s, event, item);
  s.untrack(event, item.id);
  s.sink.enqueue({
    type: 'tool-result',
    toolCallId: item.id,
    toolName: s.toolNameMapping.toCustomToolName('image_generation'),
    result: { result: item.result ?? null },
  });
}
