import type { ParseResult } from '@ai-sdk/provider-utils';
import { createEarlyStreamError } from './codex-error';
import { type CodexEvent, errorEventSchema, responseFailedEventSchema } from './event-schemas';
import type { CodexEventReader } from './read-codex-events';

// Events that only announce the response or carry side-channel data; the others (items, deltas,
// completion) are output.
const preambleEvents = new Set([
  'response.created',
  'response.in_progress',
  'response.queued',
  'response.metadata',
]);

function isPreamble(type: string): boolean {
  return preambleEvents.has(type) || !type.startsWith('response.');
}

/**
 * Reads the events up to the first output event. If an error frame comes first, throws it as an
 * `APICallError` (so `ai` can retry it like an HTTP error); otherwise returns a reader that replays what
 * was read and continues with the rest. Cancelling the returned reader cancels the response.
 */
export async function throwIfStreamFailsBeforeOutput({
  events,
  url,
  requestBodyValues,
  responseHeaders,
}: {
  events: CodexEventReader;
  url: string;
  requestBodyValues: unknown;
  responseHeaders: Record<string, string>;
}): Promise<CodexEventReader> {
  const buffered: Array<ReadableStreamReadResult<ParseResult<CodexEvent>>> = [];

  while (true) {
    const result = await events.read();
    buffered.push(result);
    if (result.done || !result.value.success) break;

    const event = result.value.value;
    const streamError =
      event.type === 'error'
        ? errorEventSchema.safeParse(event).data
        : event.type === 'response.failed'
          ? responseFailedEventSchema.safeParse(event).data?.response.error
          : undefined;
    if (streamError != null) {
      await events.cancel().catch(() => {});
      throw createEarlyStreamError({ streamError, frame: event, url, requestBodyValues, responseHeaders });
    }
    if (!isPreamble(event.type)) break;
  }

  return {
    // Replayed events are let go of, not kept for the life of the stream.
    read: () => (buffered.length > 0 ? Promise.resolve(buffered.shift()!) : events.read()),
    cancel: reason => events.cancel(reason),
  };
}
