import type { ChatChunkEvent } from './chat-completion-chunks';

const encoder = new TextEncoder();
const DONE = encoder.encode('data: [DONE]\n\n');

/**
 * Serialises chunk events as OpenAI streams them: one `data: <json>` event per chunk and `data: [DONE]` at
 * the end. An error event is sent as `data: {"error":{…}}`, which OpenAI's SDKs raise as an API error, and
 * ends the stream without `[DONE]`.
 *
 * The body never ends in an error, which a Node server could only report by cutting the connection: when
 * `events` fails, it ends with the bytes `errorEvent` makes, or quietly when `signal` says the client has
 * gone. Cancelling it cancels `events`, and with them the backend request. Serialising, encoding and this
 * are done in one stream: every token of every proxied answer passes through it.
 */
export function chatChunksToSse(
  events: ReadableStream<ChatChunkEvent>,
  { signal, errorEvent }: { signal: AbortSignal; errorEvent: (error: unknown) => Uint8Array },
): ReadableStream<Uint8Array> {
  const reader = events.getReader();
  let failed = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<ChatChunkEvent>;
        try {
          result = await reader.read();
        } catch (error) {
          if (!signal.aborted) controller.enqueue(errorEvent(error));
          controller.close();
          return;
        }
        if (result.done) {
          if (!failed) controller.enqueue(DONE);
          controller.close();
          return;
        }
        const event = result.value;
        if (event.type === 'error') failed = true;
        const data = event.type === 'error' ? event.error.toBody() : event.chunk;
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(data)}\n\n`));
      },
      cancel: reason => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
