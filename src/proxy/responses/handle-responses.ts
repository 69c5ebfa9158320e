import { endStreamGracefully } from '../end-stream-gracefully';
import { toProxyError } from '../map-error';
import type { RequestLog } from '../proxy-logger';
import { readJsonBody } from '../read-json-body';
import { upstreamHeaders } from '../upstream-headers';
import { aggregateResponsesStream } from './aggregate-responses-stream';
import { normalizeResponsesRequest, responsesRequestSchema } from './normalize-responses-request';
import { parseResponsesEvents } from './parse-responses-events';

/** Sends a normalised body to the backend's `/responses`; resolves to its 2xx streaming response. */
export type PostResponses = (
  body: Record<string, unknown>,
  options: { headers: Record<string, string>; abortSignal: AbortSignal },
) => Promise<Response>;

/**
 * Request headers of the Codex CLI that tie requests to its session and turn (prompt caching, turn state);
 * passed on so that the CLI behind the proxy behaves as it does against the backend.
 */
const FORWARDED_HEADERS = [
  'session-id',
  'thread-id',
  'x-client-request-id',
  'x-codex-window-id',
  'x-codex-turn-metadata',
  'x-codex-turn-state',
  'x-codex-beta-features',
  'x-openai-subagent',
  'x-codex-parent-thread-id',
];

/**
 * `POST /v1/responses`: normalises the request for the backend, streams the backend's SSE back unchanged,
 * or folds it into a Response object when the client did not ask for a stream.
 */
export async function handleResponses({
  request,
  postResponses,
  log,
}: {
  request: Request;
  postResponses: PostResponses;
  log: RequestLog;
}): Promise<Response> {
  const normalized = normalizeResponsesRequest(await readJsonBody(request, responsesRequestSchema, log));
  if (normalized.dropped.length > 0)
    log.note(`dropped parameters the backend refuses: ${normalized.dropped.join(', ')}`);

  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers.get(name);
    if (value != null) headers[name] = value;
  }
  // The request's signal aborts when the client disconnects, which cancels the backend request too.
  const upstream = await postResponses(normalized.body, { headers, abortSignal: request.signal });
  const responseHeaders = upstreamHeaders(upstream.headers);
  const body = upstream.body ?? new ReadableStream<Uint8Array>({ start: controller => controller.close() });

  if (!normalized.stream) {
    return Response.json(await aggregateResponsesStream(parseResponsesEvents(body)), {
      headers: responseHeaders,
    });
  }
  // Ends like a failed Responses stream (an `error` event) if the backend connection breaks.
  const sse = endStreamGracefully(body, {
    signal: request.signal,
    errorEvent: error => {
      const { message, code } = toProxyError(error);
      return new TextEncoder().encode(
        `event: error\ndata: ${JSON.stringify({ type: 'error', code, message, param: null })}\n\n`,
      );
    },
  });
  return new Response(sse, {
    headers: {
      ...responseHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    },
  });
}
