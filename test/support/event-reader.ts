import type { ParseResult } from '@ai-sdk/provider-utils';
import type { CodexEventReader } from '../../src/backend/event-stream-response-handler';
import type { CodexEvent } from '../../src/responses/event-schemas';

/**
 * Events as the SSE handler gives them: in batches of `batchSize` (a chunk of bytes that completed that many
 * events). Plain events are wrapped as successful parse results. `cancelled` tells whether it was cancelled.
 */
export function eventReader(
  events: ReadonlyArray<CodexEvent | ParseResult<CodexEvent>>,
  { batchSize = 1 }: { batchSize?: number } = {},
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
    read: async () => {
      if (next >= results.length) return { done: true, value: undefined };
      const batch = results.slice(next, next + batchSize);
      next += batchSize;
      return { done: false, value: batch };
    },
    cancel: async () => {
      cancelled = true;
    },
  };
}

/** Every batch `reader` gives, until its end. */
export async function readBatches(reader: CodexEventReader): Promise<Array<Array<ParseResult<CodexEvent>>>> {
  const batches: Array<Array<ParseResult<CodexEvent>>> = [];
  for (let result = await reader.read(); !result.done; result = await reader.read())
    batches.push(result.value);
  return batches;
}
