import type { NetConnectOpts, Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { APICallError } from '@ai-sdk/provider';
import type WebSocket from 'ws';
import { codexFailedResponseHandler } from '../codex-error';
import type { PreviousResponse } from './incremental-input';

/** The beta header that opens the backend's `/responses` WebSocket (as the Codex CLI 0.171 sends it). */
export const RESPONSES_WEBSOCKET_BETA = 'responses_websockets=2026-02-06';

/** Why no WebSocket could be had: every one is busy, or the upgrade failed (`cause`). SSE may stand in. */
export class WebSocketUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebSocketUnavailableError';
  }
}

/** Whether this runtime can open a WebSocket with headers: Node.js (browsers and edge runtimes cannot). */
export function canOpenWebSocket(): boolean {
  const global = globalThis as { EdgeRuntime?: unknown; process?: { versions?: { node?: string } } };
  return typeof global.EdgeRuntime !== 'string' && typeof global.process?.versions?.node === 'string';
}

/**
 * One WebSocket to the backend's `/responses`, with its messages queued until read. Node's built-in
 * WebSocket sends the headers too, but keeps the process alive while open and hides a refused upgrade's
 * status: the `ws` package lets an idle connection unref its socket and reads the refusal like an HTTP error.
 */
export class CodexWebSocket {
  /** The last completed response on this connection, to continue from. */
  previous: PreviousResponse | undefined;
  private readonly queue: string[] = [];
  private waiter: { resolve: (text: string) => void; reject: (error: unknown) => void } | undefined;
  private failure: unknown;

  private constructor(
    private readonly socket: WebSocket,
    private readonly transport: Socket | undefined,
    private readonly url: string,
  ) {
    socket.on('message', (data: WebSocket.RawData) => {
      const text = Array.isArray(data) ? Buffer.concat(data).toString() : data.toString();
      if (this.waiter != null) {
        const { resolve } = this.waiter;
        this.waiter = undefined;
        resolve(text);
      } else this.queue.push(text);
    });
    socket.on('close', () => this.fail(this.brokenError()));
    socket.on('error', error => this.fail(this.brokenError(error)));
  }

  /** Opens a connection; a refused upgrade throws the backend's error like an HTTP answer would. */
  static async open({
    url,
    headers,
    abortSignal,
    handshakeTimeoutMs,
  }: {
    url: string;
    headers: Record<string, string>;
    abortSignal?: AbortSignal;
    /** An upgrade not answered in this time fails, retryably (e.g. a proxy on the way swallowed it). */
    handshakeTimeoutMs?: number;
  }): Promise<CodexWebSocket> {
    const [{ default: WebSocketClass }, net, tls] = await Promise.all([
      import('ws'),
      import('node:net'),
      import('node:tls'),
    ]);
    let transport: Socket | undefined;
    const socket = new WebSocketClass(url.replace(/^http/, 'ws'), {
      headers: { ...headers, 'openai-beta': RESPONSES_WEBSOCKET_BETA },
      perMessageDeflate: false,
      ...(handshakeTimeoutMs != null && { handshakeTimeout: handshakeTimeoutMs }),
      // Keeps the TCP socket at hand, to let an idle connection not hold the process.
      createConnection: ((options: ConnectionOptions) => {
        const host = options.host ?? '';
        transport = url.startsWith('https:')
          ? tls.connect({ ...options, servername: net.isIP(host) ? '' : host })
          : net.connect(options as NetConnectOpts);
        return transport;
      }) as typeof net.createConnection,
    });
    return new Promise<CodexWebSocket>((resolve, reject) => {
      const onAbort = () => {
        socket.terminate();
        reject(abortSignal?.reason);
      };
      if (abortSignal?.aborted) return onAbort();
      abortSignal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => abortSignal?.removeEventListener('abort', onAbort);
      socket.once('open', () => {
        settle();
        socket.removeAllListeners('unexpected-response');
        resolve(new CodexWebSocket(socket, transport, url));
      });
      socket.once('unexpected-response', (_request, response) => {
        settle();
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') headers.set(name, value);
          }
          const answer = new Response(Buffer.concat(chunks), { status: response.statusCode ?? 500, headers });
          socket.terminate();
          codexFailedResponseHandler({ response: answer, url, requestBodyValues: undefined }).then(
            ({ value }) => reject(value),
            reject,
          );
        });
      });
      socket.once('error', error => {
        settle();
        reject(
          new APICallError({
            message: `Cannot connect to API: ${error.message}`,
            cause: error,
            url,
            requestBodyValues: undefined,
            isRetryable: true,
          }),
        );
      });
    });
  }

  get isOpen(): boolean {
    return this.failure == null && this.socket.readyState === this.socket.OPEN;
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The next message; rejects once the connection is closed or broken. */
  next(): Promise<string> {
    const text = this.queue.shift();
    if (text !== undefined) return Promise.resolve(text);
    if (this.failure != null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Ends the connection at once (an abandoned response: the backend stops generating). */
  close(reason?: unknown): void {
    this.fail(reason ?? this.brokenError());
    this.socket.terminate();
  }

  /** While a request runs the connection keeps the process alive, as a fetch would; idle, it does not. */
  setActive(active: boolean): void {
    if (active) this.transport?.ref();
    else this.transport?.unref();
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    if (this.waiter != null) {
      const { reject } = this.waiter;
      this.waiter = undefined;
      reject(this.failure);
    }
  }

  private brokenError(cause?: unknown): APICallError {
    return new APICallError({
      message:
        'The WebSocket to the Codex backend closed in the middle of the response stream; the request can be retried.',
      url: this.url,
      requestBodyValues: undefined,
      cause,
      isRetryable: true,
    });
  }
}
