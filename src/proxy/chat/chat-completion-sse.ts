import type { ChatChunkEvent, ChatChunkMapper } from './chat-completion-chunks';
import type { PartReader } from './throw-if-error-before-output';

const encoder = new TextEncoder();
const DONE = 'data: [DONE]\n\n';

/**
 * The bytes of a streamed chat completion, as OpenAI streams them: one `data: <json>` event per chunk and
 * `data: [DONE]` at the end. An error event is sent as `data: {"error":{…}}`, which OpenAI's SDKs raise as an
 * API error, and ends the stream without `[DONE]`; the rest of the model's stream, and with it the backend
 * request, is cancelled.
 *
 * The body never ends in an error, which a Node server could only report by cutting the connection: when
 * reading the parts fails, it ends with the mapper's error event, or quietly when `signal` says the client has
 * gone. Cancelling it cancels the parts. Mapping, serialising and encoding are done in this one stream,
 * reading the model's parts directly: every token of every proxied answer passes through it.
 */
export function chatCompletionSse(
  parts: PartReader,
  mapper: ChatChunkMapper,
  { signal }: { signal: AbortSignal },
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Parts without a chunk (starts, ends, metadata) are read on until one has something to send.
        while (true) {
          let events: ChatChunkEvent[];
          let done = false;
          try {
            const result = await parts.read();
            done = result.done === true;
            events = result.done ? mapper.end() : mapper.map(result.value);
          } catch (error) {
            if (signal.aborted) return controller.close();
            events = mapper.map({ type: 'error', error });
            done = true;
          }
          const failed = events.at(-1)?.type === 'error';
          if (done || failed) {
            controller.enqueue(encoder.encode(failed ? serialise(events) : `${serialise(events)}${DONE}`));
            controller.close();
            if (!done) parts.cancel(new Error('The answer ended in an error.')).catch(() => {});
            return;
          }
          if (events.length === 0) continue;
          controller.enqueue(encoder.encode(serialise(events)));
          return;
        }
      },
      cancel: reason => parts.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

function serialise(events: ChatChunkEvent[]): string {
  let text = '';
  for (const event of events) {
    text += `data: ${JSON.stringify(event.type === 'error' ? event.error.toBody() : event.chunk)}\n\n`;
  }
  return text;
}
