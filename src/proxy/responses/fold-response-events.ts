import { ProxyError } from '../proxy-error';

type JsonObject = Record<string, unknown>;

/** A Responses SSE event, as parsed from the backend's stream. */
export type ResponsesStreamEvent = JsonObject & { type: string };

/**
 * Folds the backend's event stream into the Response object a non-streaming request gets. The response
 * of `response.completed` (or `.incomplete`) is the result; when it lists no output, the items come from the
 * `output_item.done` events, which are authoritative. `response.failed` and `error` events reject with
 * the error in OpenAI's envelope.
 */
export async function aggregateResponsesStream(
  events: ReadableStream<ResponsesStreamEvent>,
): Promise<JsonObject> {
  const items: JsonObject[] = [];
  const reader = events.getReader();
  try {
    while (true) {
      const { done, value: event } = await reader.read();
      if (done) break;
      switch (event.type) {
        case 'response.output_item.done': {
          const item = asObject(event.item);
          if (item == null) break;
          const index = typeof event.output_index === 'number' ? event.output_index : items.length;
          items[index] = item;
          break;
        }
        case 'response.completed':
        case 'response.incomplete': {
          const response = asObject(event.response) ?? {};
          const output =
            Array.isArray(response.output) && response.output.length > 0 ? response.output : items;
          return { ...response, output: output.filter(item => item != null) };
        }
        case 'response.failed': {
          const error = asObject(asObject(event.response)?.error);
          throw responseFailedError(error?.code, error?.message);
        }
        case 'error': {
          const error = asObject(event.error) ?? event;
          throw responseFailedError(error.code, error.message);
        }
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  throw new ProxyError({
    message: 'The Codex backend ended the response before it completed. Retry the request.',
    status: 502,
    type: 'server_error',
    code: 'incomplete_response',
  });
}

/** Maps a `response.failed` error code to the status OpenAI's API answers the same condition with. */
export function responseFailedError(code: unknown, message: unknown): ProxyError {
  const text =
    typeof message === 'string' && message.length > 0 ? message : 'The Codex backend failed the response.';
  const errorCode = typeof code === 'string' ? code : null;
  switch (errorCode) {
    case 'context_length_exceeded':
    case 'invalid_prompt':
    case 'cyber_policy':
    case 'bio_policy':
    case 'misalignment_policy_violation':
      return new ProxyError({ message: text, status: 400, type: 'invalid_request_error', code: errorCode });
    case 'rate_limit_exceeded':
    case 'insufficient_quota':
    case 'usage_not_included':
      return new ProxyError({ message: text, status: 429, type: 'rate_limit_error', code: errorCode });
    case 'server_is_overloaded':
    case 'slow_down':
      return new ProxyError({ message: text, status: 503, type: 'server_error', code: errorCode });
    default:
      return new ProxyError({ message: text, status: 500, type: 'server_error', code: errorCode });
  }
}

function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}
