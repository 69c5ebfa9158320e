import type { ParseResult } from '@ai-sdk/provider-utils';
import type { CodexEvent } from '../../src/backend/event-schemas';
import type { CodexEventReader } from '../../src/backend/read-codex-events';

/**
 * Events as the SSE handler gives them, one per read. Plain events are wrapped as successful parse
 * results. `cancelled` tells whether it was cancelled.
 */
export function eventReader(
  events: ReadonlyArray<CodexEvent | ParseResult<CodexEvent>>,
): CodexEventReader & { readonly cancelled: boolean } {
  const results = events.map(
    (event): ParseResult<CodexEvent> =>
      'success' in event
        ? (event as ParseResult<CodexEvent>)
        : { success: true, value: event, rawValue: event },
  );
  let next = 0;
  let cancelled = false;
  return {
    get cancelled() {
      return cancelled;
    },
    read: async () =>
      next < results.length ? { done: false, value: results[next++]! } : { done: true, value: undefined },
    cancel: async () => {
      cancelled = true;
    },
  };
}

/** Every event `reader` gives, until its end. */
export async function readEvents(reader: CodexEventReader): Promise<Array<ParseResult<CodexEvent>>> {
  const events: Array<ParseResult<CodexEvent>> = [];
  for (let result = await reader.read(); !result.done; result = await reader.read())
    events.push(result.value);
  return events;
}
