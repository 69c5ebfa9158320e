import type { CodexEvent } from '../backend/event-schemas';
import type { ItemState, OutputItem, StreamMappingState } from './map-stream-state';

/**
 * Reasoning items: one reasoning part per summary part. With `store: false` a part ends only once the
 * item's encrypted content is known (it goes in the part's metadata, for replay), or when the next part starts.
 */

export function startReasoning(
  s: StreamMappingState,
  event: CodexEvent,
  itemId: string | null | undefined,
  encryptedContent?: string | null,
): ItemState {
  const state: ItemState = {
    kind: 'reasoning',
    id: itemId ?? s.generateId(),
    streamed: false,
    encryptedContent,
    summaryParts: ['active'],
  };
  s.track(event, itemId, state);
  s.sink.enqueue({
    type: 'reasoning-start',
    id: `${state.id}:0`,
    providerMetadata: {
      codex: { itemId: state.id, reasoningEncryptedContent: encryptedContent ?? null },
    },
  });
  return state;
}

export function mapReasoningSummaryDelta(s: StreamMappingState, event: CodexEvent) {
  const delta = event.delta;
  const summaryIndex = event.summary_index;
  if (typeof delta !== 'string' || typeof summaryIndex !== 'number') return s.emitInvalid(event);
  const state = s.findItem(event);
  if (state == null) return;
  state.streamed = true;
  s.sink.enqueue({ type: 'reasoning-delta', id: `${state.id}:${summaryIndex}`, delta });
}

export function startReasoningSummaryPart(s: StreamMappingState, event: CodexEvent) {
  const summaryIndex = event.summary_index;
  if (typeof summaryIndex !== 'number') return s.emitInvalid(event);
  const state = s.findItem(event);
  const parts = state?.summaryParts;
  // Part 0 was started with the item.
  if (state == null || parts == null || summaryIndex === 0) return;
  // A new part lets the finished ones end (they no longer wait for the encrypted content).
  for (let index = 0; index < parts.length; index++) {
    if (parts[index] === 'can-conclude') {
      s.sink.enqueue({
        type: 'reasoning-end',
        id: `${state.id}:${index}`,
        providerMetadata: { codex: { itemId: state.id } },
      });
      parts[index] = 'concluded';
    }
  }
  parts[summaryIndex] = 'active';
  s.sink.enqueue({
    type: 'reasoning-start',
    id: `${state.id}:${summaryIndex}`,
    providerMetadata: {
      codex: { itemId: state.id, reasoningEncryptedContent: state.encryptedContent ?? null },
    },
  });
}

export function finishReasoningSummaryPart(s: StreamMappingState, event: CodexEvent): void {
  const summaryIndex = event.summary_index;
  const parts = s.findItem(event)?.summaryParts;
  if (typeof summaryIndex === 'number' && parts?.[summaryIndex] === 'active') {
    parts[summaryIndex] = 'can-conclude';
  }
}

export function endReasoning(
  s: StreamMappingState,
  event: CodexEvent,
  item: OutputItem<'reasoning'>,
  state: ItemState | undefined,
): void {
  let reasoning = state;
  if (reasoning == null) {
    // Only the finished item arrived: replay its summary parts.
    const summary = item.summary ?? [];
    reasoning = startReasoning(s, event, item.id, item.encrypted_content);
    s.untrack(event, item.id);
    for (const [index, part] of summary.entries()) {
      if (index > 0) {
        reasoning.summaryParts![index] = 'active';
        s.sink.enqueue({ type: 'reasoning-start', id: `${reasoning.id}:${index}` });
      }
      s.sink.enqueue({ type: 'reasoning-delta', id: `${reasoning.id}:${index}`, delta: part.text });
    }
  }
  const parts = reasoning.summaryParts ?? [];
  for (let index = 0; index < parts.length; index++) {
    if (parts[index] === 'active' || parts[index] === 'can-conclude') {
      s.sink.enqueue({
        type: 'reasoning-end',
        id: `${reasoning.id}:${index}`,
        providerMetadata: {
          codex: { itemId: reasoning.id, reasoningEncryptedContent: item.encrypted_content ?? null },
        },
      });
    }
  }
}

/** Ends the parts of a reasoning item the stream left unfinished. */
export function endOpenReasoning(s: StreamMappingState, state: ItemState): void {
  state.summaryParts?.forEach((part, index) => {
    if (part === 'concluded') return;
    s.sink.enqueue({
      type: 'reasoning-end',
      id: `${state.id}:${index}`,
      providerMetadata: {
        codex: { itemId: state.id, reasoningEncryptedContent: state.encryptedContent ?? null },
      },
    });
  });
}
