import { classifyStreamError } from '../../backend/classify-stream-error';
import { errorTypeForStatus, incompleteResponseError, ProxyError } from '../proxy-error';

type JsonObject = Record<string, unknown>;

/** A Responses SSE event, as parsed from the backend's stream. */
export type ResponsesStreamEvent = JsonObject & { type: string };

/**
 * Folds the backend's events into the Response object they describe. The response of `response.completed`
 * (or `.incomplete`) is the result; when it lists no output, the items come from the `output_item.done`
 * events, which are authoritative. `response.failed` and `error` events throw the error in OpenAI's envelope.
 */
export class ResponseFolder {
  private readonly items: JsonObject[] = [];

  /** Takes the next event; returns the finished response once the stream says it is done. */
  add(event: ResponsesStreamEvent): JsonObject | undefined {
    switch (event.type) {
      case 'response.output_item.done': {
        const item = asObject(event.item);
        if (item == null) return undefined;
        const index = typeof event.output_index === 'number' ? event.output_index : this.items.length;
        this.items[index] = item;
        return undefined;
      }
      case 'response.completed':
      case 'response.incomplete': {
        const response = asObject(event.response) ?? {};
        const output =
          Array.isArray(response.output) && response.output.length > 0 ? response.output : this.items;
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
      default:
        return undefined;
    }
  }
}

/** Reads the whole event stream into the Response object a non-streaming request gets. */
export async function foldResponseEvents(events: ReadableStream<ResponsesStreamEvent>): Promise<JsonObject> {
  const folder = new ResponseFolder();
  const reader = events.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      const response = folder.add(value);
      if (response != null) return response;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  throw incompleteResponseError();
}

/** A `response.failed` error with the status the language model gives the same code. */
function responseFailedError(code: unknown, message: unknown): ProxyError {
  const text =
    typeof message === 'string' && message.length > 0 ? message : 'The Codex backend failed the response.';
  const errorCode = typeof code === 'string' ? code : null;
  const { statusCode } = classifyStreamError({ message: text, code: errorCode });
  return new ProxyError({
    message: text,
    status: statusCode,
    type: errorTypeForStatus(statusCode),
    code: errorCode,
  });
}

function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}
