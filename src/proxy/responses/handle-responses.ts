import type { CodexBackendClient } from '../../backend/codex-backend-client';
import { endStreamGracefully } from '../end-stream-gracefully';
import { toProxyError } from '../map-error';
import type { RequestLog } from '../proxy-logger';
import { readJsonBody } from '../read-json-body';
import { upstreamHeaders } from '../upstream-headers';
import { foldResponseEvents, ResponseFolder } from './fold-response-events';
import { normalizeResponsesRequest, responsesRequestSchema } from './normalize-responses-request';
import { parseResponsesEvents, relayResponsesEvents } from './parse-responses-events';
import type { ResponseStore } from './response-store';

/**
 * Request headers of the Codex CLI that tie requests to its session and turn (prompt caching, turn state) or
 * name the protocol its body follows (Responses Lite, beta features such as remote compaction); passed on so
 * that the CLI behind the proxy behaves as it does against the backend.
 */
const FORWARDED_HEADERS = [
  'session-id',
  'thread-id',
  'x-client-request-id',
  'x-codex-window-id',
  'x-codex-turn-metadata',
  'x-codex-turn-state',
  'x-codex-beta-features',
  'x-openai-internal-codex-responses-lite',
  'x-openai-subagent',
  'x-codex-parent-thread-id',
];

/** The client's headers the backend gets too (see `FORWARDED_HEADERS`): a request's, or a WebSocket's upgrade's. */
export function forwardedHeaders(clientHeaders: Headers): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = clientHeaders.get(name);
    if (value != null) headers[name] = value;
  }
  return headers;
}

/**
 * `POST /v1/responses`: normalises the request for the backend, streams the backend's SSE back unchanged,
 * or folds it into a Response object when the client did not ask for a stream.
 */
export async function handleResponses({
  request,
  client,
  store,
  log,
}: {
  request: Request;
  client: Pick<CodexBackendClient, 'postResponses' | 'withinUsageLimits'>;
  store: ResponseStore;
  log: RequestLog;
}): Promise<Response> {
  const normalized = normalizeResponsesRequest(
    await readJsonBody(request, responsesRequestSchema, log),
    store,
  );
  if (normalized.dropped.length > 0)
    log.note(`dropped parameters the backend refuses: ${normalized.dropped.join(', ')}`);

  const headers = forwardedHeaders(request.headers);
  const { value: upstream, detour } = await client.withinUsageLimits({
    modelId: String(normalized.body.model),
    // The request's signal aborts when the client disconnects, which ends a wait or the backend request.
    abortSignal: request.signal,
    send: model =>
      client.postResponses({
        body: { ...normalized.body, model },
        headers,
        sessionId:
          typeof normalized.body.prompt_cache_key === 'string' ? normalized.body.prompt_cache_key : undefined,
        abortSignal: request.signal,
        onDroppedParameter: parameter => log.note(`dropped a parameter the backend refuses: ${parameter}`),
      }),
  });
  if (detour != null && detour.modelId !== detour.requestedModelId)
    log.note(`usage limit of ${detour.requestedModelId} reached: answered by ${detour.modelId}`);
  const responseHeaders = upstreamHeaders(upstream.responseHeaders);
  // The backend's events are relayed as bytes: a silent backend ends the relay with an error event.
  const upstreamBody = upstream.sse();
  const remember = (response: Record<string, unknown>) => {
    if (normalized.remember && typeof response.id === 'string' && Array.isArray(response.output)) {
      store.remember(
        { ...response, id: response.id, output: response.output },
        normalized.body.input as Array<Record<string, unknown>>,
      );
    }
  };

  if (!normalized.stream) {
    const response = await foldResponseEvents(parseResponsesEvents(upstreamBody));
    remember(response);
    return Response.json(response, { headers: responseHeaders });
  }

  let body = upstreamBody;
  if (normalized.remember) {
    // Folded on the way through, so that the response is kept before the client sees it complete.
    const folder = new ResponseFolder();
    body = relayResponsesEvents(upstreamBody, event => {
      try {
        const response = folder.add(event);
        if (response != null) remember(response);
      } catch {
        // A failed response is not kept; the client sees the failure event itself.
      }
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
