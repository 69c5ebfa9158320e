import { APICallError } from '@ai-sdk/provider';
import type { ParseResult } from '@ai-sdk/provider-utils';
import { codexFailedResponseHandler } from '../codex-error';
import { RESPONSES_LITE_HEADER } from '../codex-headers';
import { type CodexEvent, FINAL_EVENT_TYPES } from '../event-schemas';
import { type CodexEventReader, parseEvent } from '../read-codex-events';
import type { ResponsesStream, ResponsesTransport, TransportRequest } from '../responses-transport';
import type { StreamIdleTimeout } from '../stream-idle-timeout';
import { TURN_STATE_HEADER } from '../turn-state';
import { CodexWebSocket, WebSocketUnavailableError } from './codex-websocket';
import { incrementalInput, serializeFields } from './incremental-input';
import { rateLimitHeadersOf } from './rate-limits-message';
import { turnStateHeadersOf } from './response-metadata-message';
import { type WebSocketPool, webSocketPool } from './websocket-pool';

type Json = Record<string, unknown>;

const END: ReadableStreamReadDoneResult<never> = { done: true, value: undefined };

/** Errors after which a client opens a new connection and sends the whole input (the Codex CLI does). */
const START_OVER_CODES = new Set(['previous_response_not_found', 'websocket_connection_limit_reached']);

/**
 * The longest wait for the upgrade's answer, and at most half the idle timeout, so that SSE has time to
 * stand in when something on the way (a proxy, a gateway) swallows the upgrade instead of refusing it.
 */
const UPGRADE_TIMEOUT_MS = 10_000;

/** Where the Codex CLI puts the Lite header over a WebSocket: in each message's `client_metadata`. */
const LITE_METADATA_KEY = `ws_request_header_${RESPONSES_LITE_HEADER.replaceAll('-', '_')}`;

/**
 * The headers of a request that the Codex CLI sends in each message's `client_metadata` over a WebSocket
 * instead, by their key there. They belong to a request, not to the connection, which serves the
 * conversation's next turns and may next serve a classic model.
 */
export const MESSAGE_METADATA_KEYS: Readonly<Record<string, string>> = {
  [RESPONSES_LITE_HEADER]: LITE_METADATA_KEY,
  [TURN_STATE_HEADER]: TURN_STATE_HEADER,
};

/**
 * Responses over the backend's WebSocket, SSE standing in when every connection of the process is busy
 * and, unless `required`, when the upgrade fails. A request that continues its connection's last response
 * sends only the new input items.
 */
export function createWebSocketTransport({
  sse,
  required,
  pool = webSocketPool,
}: {
  sse: ResponsesTransport;
  /** The caller asked for the WebSocket: a failed upgrade is the request's error. */
  required: boolean;
  pool?: WebSocketPool;
}): ResponsesTransport {
  return {
    async send(request) {
      // Only the WebSocket's failure is caught inside the timing: a failed `run` would stop it, and with it
      // the forwarding of the caller's abort to the SSE request that stands in.
      const answer = await request.idleTimeout.run(() =>
        sendOverWebSocket(request, pool).catch(error => {
          if (!(error instanceof WebSocketUnavailableError)) throw error;
          if (required && error.cause != null) throw error.cause;
          return undefined;
        }),
      );
      return answer ?? sse.send(request);
    },
  };
}

/**
 * Sends a request over its conversation's WebSocket (one per URL and headers), with only the new
 * input items when it continues the connection's last response, and returns its events as SSE would
 * (`rateLimits` from the `codex.rate_limits` message as `x-codex-*` headers, the turn state from the
 * `response.metadata` message as `x-codex-turn-state`). An error message that opens the answer is thrown as
 * the HTTP error it stands for; after `previous_response_not_found` or a connection limit the request is
 * sent again, whole, on a new connection. Throws `WebSocketUnavailableError` when no connection can be had.
 */
async function sendOverWebSocket(
  { url, headers: requestHeaders, body, idleTimeout, onLateHeaders }: TransportRequest,
  pool: WebSocketPool,
): Promise<ResponsesStream> {
  const headers = { ...requestHeaders };
  const messageMetadata: Record<string, string> = {};
  for (const [header, key] of Object.entries(MESSAGE_METADATA_KEYS)) {
    const value = headers[header];
    if (value == null) continue;
    messageMetadata[key] = value;
    delete headers[header];
  }
  const metadata =
    Object.keys(messageMetadata).length > 0
      ? { client_metadata: { ...(body.client_metadata as Json | undefined), ...messageMetadata } }
      : undefined;
  const key = connectionKey(url, headers);
  const input = Array.isArray(body.input) ? (body.input as Json[]) : [];
  const fields = serializeFields(body);
  const serializedInput = input.map(item => JSON.stringify(item));

  // Aborted already (e.g. while the token was refreshed): the listener added below would never hear it.
  idleTimeout.signal.throwIfAborted();
  for (let attempt = 0; ; attempt++) {
    // A retry starts over on a new connection: another idle one of the conversation may be as stale.
    const idle = attempt === 0 ? pool.take(key) : undefined;
    const socket = idle ?? (await open(pool, url, headers, idleTimeout));
    socket.setActive(true);
    const newItems =
      attempt === 0 ? incrementalInput(socket.previous, fields, input, serializedInput) : undefined;
    const previousId = socket.previous?.responseId;
    socket.previous = undefined;
    socket.send({
      type: 'response.create',
      ...body,
      ...metadata,
      ...(newItems != null ? { input: newItems, previous_response_id: previousId } : {}),
    });

    const onAbort = () => socket.close(idleTimeout.signal.reason);
    idleTimeout.signal.addEventListener('abort', onAbort, { once: true });
    const finish = () => idleTimeout.signal.removeEventListener('abort', onAbort);
    const responseHeaders: Record<string, string> = {};
    let first: CodexEvent | undefined;
    let firstParsed: ParseResult<CodexEvent>;
    try {
      while (true) {
        firstParsed = parseEvent(await socket.next());
        first = firstParsed.success ? firstParsed.value : undefined;
        if (first?.type === 'codex.rate_limits') Object.assign(responseHeaders, rateLimitHeadersOf(first));
        else if (first?.type === 'response.metadata')
          Object.assign(responseHeaders, turnStateHeadersOf(first));
        else break;
      }
    } catch (error) {
      finish();
      pool.discard(socket);
      // An idle connection the backend closed meanwhile: start over on a new one.
      if (idle != null && attempt === 0 && !idleTimeout.signal.aborted) continue;
      throw error;
    }

    if (first?.type === 'error' && typeof first.status === 'number') {
      finish();
      const error = await errorOf(first, url, body);
      const code = (first.error as { code?: unknown } | undefined)?.code;
      if (attempt === 0 && typeof code === 'string' && START_OVER_CODES.has(code)) {
        pool.discard(socket);
        continue;
      }
      // Refused credentials are the connection's: the retry with refreshed ones must open a new one.
      if (first.status === 401 || first.status === 403) pool.discard(socket);
      else pool.release(key, socket);
      throw error;
    }

    const events = readEvents({
      socket,
      firstParsed,
      key,
      pool,
      fields,
      serializedInput,
      idleTimeout,
      finish,
      onLateHeaders,
    });
    return { responseHeaders, events: () => events, sse: () => toSse(events) };
  }
}

/**
 * Which requests may share a connection: those to the same URL with the same headers (the token, the account,
 * the conversation's `session-id`, the caller's headers), since headers travel once, on the upgrade. A
 * refreshed token opens a new connection: one opened with the old token may be refused with it.
 */
function connectionKey(url: string, headers: Record<string, string>): string {
  const sorted = Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${url}\n${JSON.stringify(sorted)}`;
}

async function open(
  pool: WebSocketPool,
  url: string,
  headers: Record<string, string>,
  idleTimeout: StreamIdleTimeout,
): Promise<CodexWebSocket> {
  if (!pool.reserve()) throw new WebSocketUnavailableError('Every WebSocket of the process is busy.');
  const abortSignal = idleTimeout.signal;
  try {
    return await CodexWebSocket.open({
      url,
      headers,
      abortSignal,
      handshakeTimeoutMs: Math.min(UPGRADE_TIMEOUT_MS, idleTimeout.timeoutMs / 2),
    });
  } catch (error) {
    pool.unreserve();
    // Credentials and usage limits fail SSE the same way; anything else may be the WebSocket alone.
    const status = APICallError.isInstance(error) ? error.statusCode : undefined;
    if (abortSignal.aborted || status === 401 || status === 403 || status === 429) throw error;
    throw new WebSocketUnavailableError(`Cannot open a WebSocket to ${url}.`, { cause: error });
  }
}

const encoder = new TextEncoder();

/** The events as the SSE body the backend would have sent, for a caller that relays them (the proxy). */
function toSse(events: CodexEventReader): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      pull: async controller => {
        const result = await events.read();
        if (result.done) return controller.close();
        const event = result.value.rawValue as { type?: unknown } | undefined;
        controller.enqueue(
          encoder.encode(`event: ${String(event?.type)}\ndata: ${JSON.stringify(event)}\n\n`),
        );
      },
      cancel: reason => events.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/** The HTTP error an error message stands for (`{type: "error", status, error, headers}`). */
async function errorOf(message: CodexEvent, url: string, requestBodyValues: unknown): Promise<APICallError> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(
    (message.headers as Record<string, unknown> | undefined) ?? {},
  )) {
    headers.set(name, String(value));
  }
  const response = new Response(JSON.stringify({ error: message.error }), {
    status: message.status as number,
    headers,
  });
  return (await codexFailedResponseHandler({ response, url, requestBodyValues })).value;
}

/**
 * The answer's events, one message each, up to the final one. The connection then goes back to the pool,
 * remembering the response for the next request's incremental input; one cancelled or broken mid-answer is
 * closed (the backend stops generating).
 */
function readEvents({
  socket,
  firstParsed,
  key,
  pool,
  fields,
  serializedInput,
  idleTimeout,
  finish,
  onLateHeaders,
}: {
  socket: CodexWebSocket;
  firstParsed: ParseResult<CodexEvent>;
  key: string;
  pool: WebSocketPool;
  fields: string;
  serializedInput: string[];
  idleTimeout: StreamIdleTimeout;
  finish: () => void;
  onLateHeaders: TransportRequest['onLateHeaders'];
}): CodexEventReader {
  let pending: ParseResult<CodexEvent> | undefined = firstParsed;
  let done = false;
  const output: Json[] = [];

  const settle = (event: CodexEvent) => {
    done = true;
    idleTimeout.stop();
    finish();
    const response = event.response as { id?: unknown } | undefined;
    if (event.type === 'response.completed' && typeof response?.id === 'string') {
      socket.previous = { responseId: response.id, fields, input: serializedInput, output };
    }
    pool.release(key, socket);
  };

  const deliver = (result: ParseResult<CodexEvent>): ReadableStreamReadResult<ParseResult<CodexEvent>> => {
    if (result.success) {
      const event = result.value;
      if (event.type === 'response.output_item.done' && event.item != null) output.push(event.item as Json);
      if (event.type === 'response.metadata') {
        const turnState = turnStateHeadersOf(event);
        if (Object.keys(turnState).length > 0) onLateHeaders?.(turnState);
      }
      if (FINAL_EVENT_TYPES.has(event.type)) settle(event);
    }
    return { done: false, value: result };
  };

  const fail = (error: unknown): never => {
    done = true;
    idleTimeout.stop();
    finish();
    pool.discard(socket, error);
    throw error;
  };

  return {
    read: () => {
      if (pending != null) {
        const result = pending;
        pending = undefined;
        return Promise.resolve(deliver(result));
      }
      if (done) return Promise.resolve(END);
      idleTimeout.startWaiting(error => socket.close(error));
      return socket.next().then(text => {
        idleTimeout.endWaiting();
        return deliver(parseEvent(text));
      }, fail);
    },
    cancel: async reason => {
      if (done) return;
      done = true;
      idleTimeout.stop();
      finish();
      pool.discard(socket, reason);
    },
  };
}
