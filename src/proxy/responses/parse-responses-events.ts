import { EventSourceParserStream, safeParseJSON } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';
import type { ResponsesStreamEvent } from './fold-response-events';

const eventSchema = z.looseObject({ type: z.string() });

// Typed for what `fetch` bodies carry (the DOM typings want ArrayBuffer-backed chunks only).
const decodeText = () => new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>;

/**
 * Parses the backend's SSE bytes into event objects, keyed by their `type` as the Codex CLI reads them
 * (the `event:` line is ignored). Undecodable events are skipped, as the CLI does.
 */
export function parseResponsesEvents(body: ReadableStream<Uint8Array>): ReadableStream<ResponsesStreamEvent> {
  return body
    .pipeThrough(decodeText())
    .pipeThrough(new EventSourceParserStream())
    .pipeThrough(
      new TransformStream({
        async transform(message, controller) {
          const parsed = await safeParseJSON({ text: message.data, schema: eventSchema });
          if (parsed.success) controller.enqueue(parsed.value);
        },
      }),
    );
}

/**
 * Passes the backend's SSE on event by event, showing each parsed event to `observe` before the client gets
 * it (so state kept from an event is in place before the client can act on it). Each event keeps its data
 * verbatim; the framing is rewritten as `event: <type>` and `data: <json>`.
 */
export function relayResponsesEvents(
  body: ReadableStream<Uint8Array>,
  observe: (event: ResponsesStreamEvent) => void,
): ReadableStream<Uint8Array> {
  return body
    .pipeThrough(decodeText())
    .pipeThrough(new EventSourceParserStream())
    .pipeThrough(
      new TransformStream<{ event?: string; data: string }, string>({
        async transform(message, controller) {
          const parsed = await safeParseJSON({ text: message.data, schema: eventSchema });
          if (parsed.success) observe(parsed.value);
          const name = message.event ?? (parsed.success ? parsed.value.type : undefined);
          controller.enqueue(`${name != null ? `event: ${name}\n` : ''}data: ${message.data}\n\n`);
        },
      }),
    )
    .pipeThrough(new TextEncoderStream());
}
