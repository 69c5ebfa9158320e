import { AISDKError } from '@ai-sdk/provider';
import { createIdGenerator, safeParseJSON } from '@ai-sdk/provider-utils';
import type { RawData, WebSocket } from 'ws';
import type { CodexBackendClient } from '../../backend/codex-backend-client';
import { FINAL_EVENT_TYPES } from '../../backend/event-schemas';
import { TURN_STATE_HEADER } from '../../backend/turn-state';
import type { WebSocketMode } from '../../backend/websocket/choose-transport';
import { rateLimitsMessageOf } from '../../backend/websocket/rate-limits-message';
import { MESSAGE_METADATA_KEYS } from '../../backend/websocket/websocket-transport';
import { checkJsonLimits } from '../check-json-limits';
import { headerValueSchema } from '../header-value-schema';
import { toProxyError } from '../map-error';
import { incompleteResponseError, ProxyError } from '../proxy-error';
import type { ProxyLog, RequestLog } from '../proxy-logger';
import { validateJsonBody } from '../read-json-body';
import { ResponseFolder, type ResponsesStreamEvent } from './fold-response-events';
import {
  type NormalizedResponsesRequest,
  normalizeResponsesRequest,
  type ResponsesRequest,
  responsesRequestSchema,
} from './normalize-responses-request';
import type { ResponseStore } from './response-store';

type Json = Record<string, unknown>;

/** What every connection shares: the one backend client, the kept responses, the log. */
export interface ResponsesWebSocketContext {
  client: Pick<CodexBackendClient, 'postResponses' | 'withinUsageLimits'>;
  store: ResponseStore;
  log: ProxyLog;
  /** How requests of WebSocket clients reach the backend: over its WebSocket unless the provider says SSE. */
  webSocket: WebSocketMode;
}

/** The last response of a connection, which its next `response.create` may continue. */
interface LastResponse {
  id: string;
  /** The whole input it answered, references resolved. */
  input: Json[];
  output: Json[];
}

/** Above this many bytes waiting to be written to a client, the relay waits for it to read them. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

const generateResponseId = createIdGenerator({ prefix: 'resp', separator: '_', size: 48 });

/**
 * Serves one client WebSocket of `/v1/responses`, as the backend serves its own: each `response.create`
 * message is answered with a `codex.rate_limits` message (when the backend reported them) and the
 * `response.*` events, one JSON message each, and errors as `{type: "error", status, error}` messages; one
 * response at a time. `previous_response_id` may name the connection's last
 * response (whatever its `store`) or a kept one: the proxy resolves it into the whole input, and the backend
 * client sends upstream only what is new (the backend's WebSocket has seen the rest), or everything over SSE,
 * with the same answer. A prewarm (`generate: false`) is answered by the proxy itself. Closing the connection
 * aborts the response under way, which stops the backend's generation.
 */
export function serveResponsesWebSocket({
  socket,
  headers,
  context,
  requestLog,
}: {
  socket: WebSocket;
  /** Headers of the upgrade request that the backend gets with every request (see `forwardedHeaders`). */
  headers: Record<string, string>;
  context: ResponsesWebSocketContext;
  requestLog: RequestLog;
}): void {
  const closed = new AbortController();
  let last: LastResponse | undefined;
  let busy = false;

  const send: Send = message => {
    if (socket.readyState !== socket.OPEN) return Promise.resolve();
    // Waits only when the client reads slower than the backend writes, so memory stays bounded.
    if (socket.bufferedAmount < MAX_BUFFERED_BYTES) {
      socket.send(JSON.stringify(message));
      return Promise.resolve();
    }
    return new Promise(resolve => socket.send(JSON.stringify(message), () => resolve()));
  };

  const sendError = (error: unknown) => {
    const proxyError = toProxyError(error);
    logFailure(context.log, error, proxyError);
    return send({
      type: 'error',
      status: proxyError.status,
      ...proxyError.toBody(),
      ...(Object.keys(proxyError.headers).length > 0 ? { headers: proxyError.headers } : {}),
    });
  };

  // Continues the connection's last response, or else one the store kept.
  const resolver: Pick<ResponseStore, 'resolveInput'> = {
    resolveInput: (input, previousResponseId) =>
      previousResponseId != null && previousResponseId === last?.id
        ? context.store.resolveInput([...last.input, ...last.output, ...input])
        : context.store.resolveInput(input, previousResponseId),
  };

  const answer = async (text: string) => {
    const started = Date.now();
    const { generate, request } = await parseMessage(text, requestLog);
    const normalized = normalizeResponsesRequest(request, resolver);
    if (normalized.dropped.length > 0)
      requestLog.note(`dropped parameters the backend refuses: ${normalized.dropped.join(', ')}`);
    last = undefined;
    const remember = (response: CompletedResponse) => {
      const input = normalized.body.input as Json[];
      last = { id: response.id, input, output: response.output };
      if (normalized.remember) context.store.remember(response, input);
    };
    if (generate) {
      await relayResponse({
        normalized,
        headers,
        context,
        requestLog,
        abortSignal: closed.signal,
        send,
        remember,
      });
    } else {
      await prewarm(normalized, send, remember);
    }
    requestLog.note(`response.create answered in ${Date.now() - started} ms`);
  };

  socket.on('message', (data: RawData) => {
    if (busy) {
      void sendError(
        new ProxyError({
          message:
            'A response is already in progress on this WebSocket: wait for its response.completed (or error) before sending the next response.create, or open another connection.',
          code: 'response_already_in_flight',
        }),
      );
      return;
    }
    busy = true;
    answer(textOf(data))
      .catch(error => {
        // The client left: its response was aborted, and there is no one to tell.
        if (!closed.signal.aborted) return sendError(error);
      })
      .finally(() => {
        busy = false;
      });
  });
  socket.on('close', () => closed.abort(new DOMException('The client closed the WebSocket.', 'AbortError')));
  // A message over the size limit or a broken frame: `ws` closes the connection (1009, 1002), then 'close'.
  socket.on('error', error => requestLog.note(`WebSocket closed: ${error.message}`));
}

/** A response as the relay keeps it: its id and output items known. */
type CompletedResponse = Json & { id: string; output: Json[] };

type Send = (message: Json) => Promise<void>;

/**
 * A prewarm: a response with no output, which the next request continues. Not sent upstream: over SSE (the
 * fallback) the backend knows no `generate` and would answer it.
 */
async function prewarm(
  normalized: NormalizedResponsesRequest,
  send: Send,
  remember: (response: CompletedResponse) => void,
): Promise<void> {
  const response = {
    id: generateResponseId(),
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    model: normalized.body.model,
    output: [] as Json[],
  };
  await send({
    type: 'response.created',
    sequence_number: 0,
    response: { ...response, status: 'in_progress' },
  });
  remember({ ...response, status: 'completed' });
  await send({
    type: 'response.completed',
    sequence_number: 1,
    response: { ...response, status: 'completed' },
  });
}

/**
 * Sends a request through the backend client and relays its answer: the rate limits, then each event as
 * one message, up to the one that ends it. A completed response is remembered before the client sees it
 * complete, so that its next message may continue it.
 */
async function relayResponse({
  normalized,
  headers,
  context,
  requestLog,
  abortSignal,
  send,
  remember,
}: {
  normalized: NormalizedResponsesRequest;
  headers: Record<string, string>;
  context: ResponsesWebSocketContext;
  requestLog: RequestLog;
  /** Aborted when the client closes the connection: the backend stops generating. */
  abortSignal: AbortSignal;
  send: Send;
  remember: (response: CompletedResponse) => void;
}): Promise<void> {
  const { client } = context;
  const { body, headers: requestHeaders } = headersOutOfMetadata(normalized.body, headers);
  const { value: upstream, detour } = await client.withinUsageLimits({
    modelId: String(body.model),
    abortSignal,
    send: model =>
      client.postResponses({
        body: { ...body, model },
        headers: requestHeaders,
        sessionId: typeof body.prompt_cache_key === 'string' ? body.prompt_cache_key : undefined,
        abortSignal,
        onDroppedParameter: parameter =>
          requestLog.note(`dropped a parameter the backend refuses: ${parameter}`),
        webSocket: context.webSocket,
      }),
  });
  if (detour != null && detour.modelId !== detour.requestedModelId)
    requestLog.note(`usage limit of ${detour.requestedModelId} reached: answered by ${detour.modelId}`);

  // Before the events, as the backend sends it: the client's view of the subscription's usage.
  const rateLimits = rateLimitsMessageOf(upstream.responseHeaders);
  if (rateLimits != null) await send(rateLimits);
  // The turn state, which the Codex CLI sends back in the turn's next messages.
  const turnState = upstream.responseHeaders[TURN_STATE_HEADER];
  if (turnState != null)
    await send({ type: 'response.metadata', headers: { [TURN_STATE_HEADER]: turnState } });
  const events = upstream.events();
  const folder = new ResponseFolder();
  let ended = false;
  try {
    while (!ended) {
      const { done, value } = await events.read();
      if (done) break;
      if (!value.success || !isObject(value.rawValue)) continue;
      const event = value.rawValue as ResponsesStreamEvent;
      ended = FINAL_EVENT_TYPES.has(event.type);
      try {
        const response = folder.add(event);
        if (response != null && typeof response.id === 'string') {
          remember({ ...response, id: response.id, output: response.output as Json[] });
        }
      } catch {
        // A failed response is not kept; the client sees the failure event itself.
      }
      await send(event);
    }
  } finally {
    if (!ended) await events.cancel().catch(() => {});
  }
  if (!ended) {
    throw incompleteResponseError();
  }
}

/** A `response.create` message as the Responses request it carries, and whether it asks for output. */
async function parseMessage(
  text: string,
  requestLog: RequestLog,
): Promise<{ generate: boolean; request: ResponsesRequest }> {
  // Before parsing: the limits bound what parsing, validating and converting the message may cost.
  checkJsonLimits(text);
  requestLog.body(text);
  const json = await safeParseJSON({ text });
  const message = json.success && isObject(json.value) ? json.value : undefined;
  if (message?.type !== 'response.create') {
    throw new ProxyError({
      message:
        'Each message must be a JSON object with "type": "response.create" and the fields of a Responses request (model, input, …).',
      param: 'type',
    });
  }
  const { type: _type, generate, ...request } = message;
  return { generate: generate !== false, request: validateJsonBody(request, responsesRequestSchema) };
}

/**
 * The Codex CLI sends the Lite header and the turn state of a request in its `client_metadata` over a
 * WebSocket. Taken back out into the request's headers, they reach the backend over either transport: as
 * headers over SSE, and in the metadata again over the backend's WebSocket.
 */
function headersOutOfMetadata(
  body: Json,
  headers: Record<string, string>,
): { body: Json; headers: Record<string, string> } {
  const metadata = body.client_metadata;
  if (!isObject(metadata)) return { body, headers };
  const rest = { ...metadata };
  const moved = { ...headers };
  for (const [header, key] of Object.entries(MESSAGE_METADATA_KEYS)) {
    const value = rest[key];
    if (typeof value !== 'string') continue;
    if (!headerValueSchema.safeParse(value).success) {
      throw new ProxyError({
        message: `Invalid value for 'client_metadata.${key}': it is sent as the ${header} header, so it must be printable ASCII without line breaks.`,
        param: `client_metadata.${key}`,
      });
    }
    moved[header] = value;
    delete rest[key];
  }
  return { body: { ...body, client_metadata: rest }, headers: moved };
}

/** Logs what the client was told in general terms, and errors nobody expected with their stack. */
function logFailure(log: ProxyLog, error: unknown, proxyError: ProxyError): void {
  if (!(error instanceof ProxyError) && !AISDKError.isInstance(error)) {
    log.error(
      `unexpected error on a /v1/responses WebSocket: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  } else if (proxyError.status >= 500 || proxyError.serverDetail != null) {
    log.error(
      `WebSocket /v1/responses: ${proxyError.status} ${proxyError.serverDetail ?? proxyError.message}`,
    );
  }
}

function textOf(data: RawData): string {
  // With the default `binaryType` a message is one Buffer.
  return (data as Buffer).toString('utf8');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
