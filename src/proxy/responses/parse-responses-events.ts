import { parseJsonEventStream } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';
import type { ResponsesStreamEvent } from './aggregate-responses-stream';

const eventSchema = z.looseObject({ type: z.string() });

/**
 * Parses the backend's SSE bytes into event objects, keyed by their `type` as the Codex CLI reads them
 * (the `event:` line is ignored). Undecodable events are skipped, as the CLI does.
 */
export function parseResponsesEvents(body: ReadableStream<Uint8Array>): ReadableStream<ResponsesStreamEvent> {
  return parseJsonEventStream({ stream: body, schema: eventSchema }).pipeThrough(
    new TransformStream({
      transform(result, controller) {
        if (result.success) controller.enqueue(result.value);
      },
    }),
  );
}
