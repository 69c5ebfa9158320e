import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { CodexTransport, WebSocketMode } from '../../backend/websocket/choose-transport';
import { createApiKeyCheck, invalidApiKeyError } from '../api-key';
import { toProxyError } from '../map-error';
import { ProxyError } from '../proxy-error';
import type { RequestLog } from '../proxy-logger';
import { forwardedHeaders } from './handle-responses';
import { type ResponsesWebSocketContext, serveResponsesWebSocket } from './responses-websocket-session';

/** The WebSocket side of `/v1/responses`, for a Node.js server to hand its `upgrade` events to. */
export interface ResponsesWebSocketServer {
  /** Takes an `upgrade` event: refused with an HTTP error unless it passes the checks HTTP requests pass. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every open connection, aborting their responses under way. */
  close(): void;
}

/**
 * Accepts WebSocket clients of `{basePath}/v1/responses` (the Codex CLI with `supports_websockets`, the
 * OpenAI Agents SDK's WebSocket transport), after the checks an HTTP request passes, in the same order: the
 * `Host` (DNS rebinding) and `Origin` (a web page opens a WebSocket to any address without a preflight), the
 * proxy's key as `Authorization: Bearer`, the path. A refused upgrade is answered with its status and
 * OpenAI's error body, and reaches nothing upstream. A message larger than `maxMessageBytes` closes its
 * connection (1009) before it is read.
 */
export function createResponsesWebSocketServer({
  path,
  checkHostAndOrigin,
  apiKey,
  maxMessageBytes,
  context,
}: {
  /** `{basePath}/v1/responses`. */
  path: string;
  checkHostAndOrigin: (host: string, origin: string | undefined) => void;
  apiKey: string | undefined;
  maxMessageBytes: number;
  context: ResponsesWebSocketContext;
}): ResponsesWebSocketServer {
  const isAuthorized = apiKey != null ? createApiKeyCheck(apiKey) : undefined;
  const { log } = context;
  // `ws` is loaded with the first upgrade: a proxy mounted in a web app never needs it.
  let server: Promise<WebSocketServer> | undefined;
  const webSocketServer = () => {
    server ??= import('ws').then(
      ({ WebSocketServer }) =>
        new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes, perMessageDeflate: false }),
    );
    return server;
  };
  let closed = false;

  const accept = async (
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    webRequest: Request,
    requestLog: RequestLog,
  ) => {
    const wss = await webSocketServer();
    if (closed || socket.destroyed) return void socket.destroy();
    wss.handleUpgrade(request, socket, head, ws => {
      serveResponsesWebSocket({
        socket: ws,
        headers: forwardedHeaders(webRequest.headers),
        context,
        requestLog,
      });
    });
  };

  return {
    upgrade(request, socket, head) {
      const started = Date.now();
      const webRequest = toWebRequest(request);
      const requestLog = log.request(webRequest);
      // A client that resets the connection before it is upgraded must not take the process down.
      const destroyOnError = () => socket.destroy();
      socket.on('error', destroyOnError);
      try {
        if (closed)
          throw new ProxyError({ message: 'The proxy is shutting down.', status: 503, type: 'server_error' });
        checkHostAndOrigin(request.headers.host ?? '', request.headers.origin);
        if (isAuthorized != null && !isAuthorized(request.headers.authorization)) throw invalidApiKeyError();
        const pathname = (request.url ?? '/').split('?')[0];
        if (pathname !== path) {
          throw new ProxyError({
            message: `Unknown WebSocket URL: ${pathname}. The proxy serves WebSocket clients at ${path}.`,
            status: 404,
            code: 'unknown_url',
          });
        }
      } catch (thrown) {
        const error = toProxyError(thrown);
        refuseUpgrade(socket, error);
        log.response(webRequest, error.status, Date.now() - started, error.message);
        return;
      }
      accept(request, socket, head, webRequest, requestLog).then(
        () => {
          socket.off('error', destroyOnError);
          log.response(webRequest, 101, Date.now() - started);
        },
        error => {
          socket.destroy();
          log.error(`WebSocket upgrade failed: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    },
    close() {
      closed = true;
      void server?.then(wss => {
        for (const client of wss.clients) client.terminate();
        wss.close();
      });
    },
  };
}

/**
 * How WebSocket clients' requests reach the backend: over its WebSocket (incremental input), unless the
 * settings ask for SSE or give a `fetch` of their own, which would not see a WebSocket's requests.
 */
export function upstreamWebSocketMode(
  transport: CodexTransport | undefined,
  customFetch: boolean,
): WebSocketMode {
  if (transport === 'sse') return 'off';
  if (transport === 'websocket') return 'required';
  return customFetch ? 'off' : 'preferred';
}

/**
 * The upgrade request as a web request, for the log and the forwarded headers: its URL on a fixed base
 * (`Host` is untrusted), or the base alone when the target is no path (it is then refused as unknown).
 */
function toWebRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value != null) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(URL.parse(request.url ?? '/', 'http://proxy') ?? 'http://proxy/', { headers });
}

/** Answers an upgrade request with the error as a plain HTTP response, and closes the connection. */
function refuseUpgrade(socket: Duplex, error: ProxyError): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(error.toBody());
  const headers = {
    ...error.headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n${Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n')}\r\n\r\n${body}`,
  );
}
