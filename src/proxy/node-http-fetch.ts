import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { FetchFunction } from '@ai-sdk/provider-utils';

/**
 * A `fetch` for the proxy's server over `node:http`/`node:https` with kept-alive connections. Every proxied
 * request makes one backend request; Node's built-in `fetch` spends on each the machinery of the Fetch
 * standard (request and header objects, validation, its own body streams), which costs the proxy more than the
 * rest of a small request (bench/PROFILING.md). It does what the backend client asks of `fetch`: a method,
 * plain headers, a string body, an abort signal, and an answer with a streamed body. Network failures reject
 * with a `TypeError` whose `cause` carries the error code, as Node's `fetch` does, so retries classify them alike.
 */
export function createNodeHttpFetch(): FetchFunction {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true }),
    'https:': new HttpsAgent({ keepAlive: true }),
  };
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
        return;
      }
      const { signal } = init;
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const body = init.body == null ? undefined : bodyBytes(init.body);
      const attempt = (retryOnStaleSocket: boolean) => {
        const request = send(
          url,
          {
            method: init.method ?? 'GET',
            headers: plainHeaders(init.headers),
            agent: agents[url.protocol as keyof typeof agents],
            signal: signal ?? undefined,
          },
          response => resolve(toResponse(response)),
        );
        request.on('error', error => {
          if (signal?.aborted) return reject(signal.reason);
          // A kept-alive connection the server closed just as it was reused: the request never reached it
          // (Node's documented case for one retry).
          if (
            retryOnStaleSocket &&
            request.reusedSocket &&
            (error as { code?: string }).code === 'ECONNRESET'
          ) {
            return attempt(false);
          }
          reject(new TypeError('fetch failed', { cause: error }));
        });
        request.end(body);
      };
      attempt(true);
    });
}

function toResponse(response: IncomingMessage): Response {
  const headers = new Headers();
  for (let i = 0; i < response.rawHeaders.length; i += 2) {
    headers.append(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
  }
  const status = response.statusCode ?? 502;
  // A body is not allowed with these statuses: the Response constructor would throw.
  const body = status === 204 || status === 205 || status === 304 ? null : Readable.toWeb(response);
  if (body == null) response.resume();
  return new Response(body as ReadableStream<Uint8Array> | null, {
    status,
    statusText: response.statusMessage,
    headers,
  });
}

function plainHeaders(headers: HeadersInit | undefined): Record<string, string> {
  if (headers == null) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(headers);
  return headers as Record<string, string>;
}

function bodyBytes(body: BodyInit): string | Uint8Array {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('The proxy’s fetch sends string and byte bodies only.');
}
