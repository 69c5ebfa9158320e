import type { ChatChunkEvent } from './chat-completion-chunks';

/**
 * Serialises chunk events as OpenAI streams them: one `data: <json>` event per chunk and `data: [DONE]` at
 * the end. An error is sent as `data: {"error":{…}}`, which OpenAI's SDKs raise as an API error, and ends
 * the stream without `[DONE]`.
 */
export function chatChunksToSse(events: ReadableStream<ChatChunkEvent>): ReadableStream<Uint8Array> {
  let failed = false;
  return events
    .pipeThrough(
      new TransformStream<ChatChunkEvent, string>({
        transform(event, controller) {
          if (event.type === 'error') {
            failed = true;
            controller.enqueue(`data: ${JSON.stringify(event.error.toBody())}\n\n`);
            return;
          }
          controller.enqueue(`data: ${JSON.stringify(event.chunk)}\n\n`);
        },
        flush(controller) {
          if (!failed) controller.enqueue('data: [DONE]\n\n');
        },
      }),
    )
    .pipeThrough(new TextEncoderStream());
}
