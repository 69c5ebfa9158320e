import type { ParseResult } from '@ai-sdk/provider-utils';
import { type CodexEvent, errorEventSchema, responseFailedEventSchema } from '../responses/event-schemas';
import { createEarlyStreamError } from './codex-error';

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
 * Reads the stream up to its first output event. If an error frame comes first, throws it as an
 * `APICallError` (so `ai` can retry it like an HTTP error); otherwise returns a stream that replays
 * what was read and continues with the rest. Cancelling the returned stream cancels the response.
 */
export async function throwIfStreamFailsBeforeOutput({
  stream,
  url,
  requestBodyValues,
  responseHeaders,
}: {
  stream: ReadableStream<ParseResult<CodexEvent>>;
  url: string;
  requestBodyValues: unknown;
  responseHeaders: Record<string, string>;
}): Promise<ReadableStream<ParseResult<CodexEvent>>> {
  const reader = stream.getReader();
  const buffered: Array<ParseResult<CodexEvent>> = [];
  let done = false;

  while (true) {
    const result = await reader.read();
    if (result.done) {
      done = true;
      break;
    }
    const chunk = result.value;
    buffered.push(chunk);
    if (!chunk.success) break;

    const event = chunk.value;
    const streamError =
      event.type === 'error'
        ? errorEventSchema.safeParse(event).data
        : event.type === 'response.failed'
          ? responseFailedEventSchema.safeParse(event).data?.response.error
          : undefined;
    if (streamError != null) {
      await reader.cancel().catch(() => {});
      throw createEarlyStreamError({ streamError, frame: event, url, requestBodyValues, responseHeaders });
    }
    if (!isPreamble(event.type)) break;
  }

  let next = 0;
  return new ReadableStream<ParseResult<CodexEvent>>(
    {
      async pull(controller) {
        if (next < buffered.length) {
          controller.enqueue(buffered[next++]!);
          return;
        }
        if (done) {
          controller.close();
          return;
        }
        const result = await reader.read();
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
