import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { ChatChunkEvent, ChatChunkMapper } from './chat-completion-chunks';
import type { PartReader } from './throw-if-error-before-output';

const encoder = new TextEncoder();
const DONE = 'data: [DONE]\n\n';

/**
 * The bytes of a streamed chat completion, as OpenAI streams them: one `data: <json>` event per chunk and
 * `data: [DONE]` at the end. An error event is sent as `data: {"error":{…}}`, which OpenAI's SDKs raise as an
 * API error, and ends the stream without `[DONE]`.
 *
 * The body never ends in an error, which a Node server could only report by cutting the connection: when
 * reading the parts fails, it ends with the event `errorEvent` makes, or quietly when `signal` says the client
 * has gone. Cancelling it cancels the parts, and with them the backend request. Mapping, serialising and
 * encoding are done in this one stream, reading the model's parts directly: every token of every proxied
 * answer passes through it.
 */
export function chatCompletionSse(
  parts: PartReader,
  mapper: ChatChunkMapper,
  { signal, errorEvent }: { signal: AbortSignal; errorEvent: (error: unknown) => string },
): ReadableStream<Uint8Array> {
  let ended = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Parts without a chunk (starts, ends, metadata) are read on until one has something to send.
        while (true) {
          let result: ReadableStreamReadResult<LanguageModelV4StreamPart>;
          try {
            result = await parts.read();
          } catch (error) {
            if (!signal.aborted) controller.enqueue(encoder.encode(errorEvent(error)));
            controller.close();
            return;
          }
          if (result.done) {
            const text = serialise(mapper.end());
            controller.enqueue(encoder.encode(ended ? text : `${text}${DONE}`));
            controller.close();
            return;
          }
          const events = mapper.map(result.value);
          if (events.length === 0) continue;
          controller.enqueue(encoder.encode(serialise(events)));
          return;
        }
      },
      cancel: reason => parts.cancel(reason),
    },
    { highWaterMark: 0 },
  );

  function serialise(events: ChatChunkEvent[]): string {
    let text = '';
    for (const event of events) {
      if (event.type === 'error') ended = true;
      text += `data: ${JSON.stringify(event.type === 'error' ? event.error.toBody() : event.chunk)}\n\n`;
    }
    return text;
  }
}
