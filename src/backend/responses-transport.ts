import { extractResponseHeaders, type FetchFunction } from '@ai-sdk/provider-utils';
import { postToCodex } from './post-to-codex';
import { type CodexEventReader, readCodexEvents } from './read-codex-events';
import type { StreamIdleTimeout } from './stream-idle-timeout';

/** One Responses request, ready to go: credentials and protocol headers are set. */
export type TransportRequest = {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** Bounds the wait for the answer and for each event; its `signal` aborts the request. */
  idleTimeout: StreamIdleTimeout;
  /**
   * Told of the turn state when it comes among the events, after the answer was returned (over a
   * WebSocket, a `response.metadata` message after `response.created`).
   */
  onLateHeaders?: (headers: Record<string, string>) => void;
};

/**
 * The backend's answer to a Responses request, once it accepted it. Its events are read in one of two ways,
 * once: parsed (the language model maps them) or as Responses SSE bytes (the proxy relays them).
 */
export type ResponsesStream = {
  responseHeaders: Record<string, string>;
  events(): CodexEventReader;
  sse(): ReadableStream<Uint8Array>;
};

/**
 * How a Responses request reaches the backend. A refused request rejects with an `APICallError` (as
 * `codexFailedResponseHandler` describes it), so that the client's 401 and quirk recovery work the same over
 * any transport.
 */
export type ResponsesTransport = {
  send(request: TransportRequest): Promise<ResponsesStream>;
};

const emptyBody = () => new ReadableStream<Uint8Array>({ start: controller => controller.close() });

/** Responses over HTTP: a POST answered with server-sent events. */
export function createSseTransport(fetch: FetchFunction | undefined): ResponsesTransport {
  return {
    async send({ url, headers, body, idleTimeout }) {
      const { value: response, responseHeaders = {} } = await idleTimeout.run(() =>
        postToCodex({
          url,
          headers: { ...headers, accept: 'text/event-stream' },
          body,
          successfulResponseHandler: async ({ response }) => ({
            value: response,
            responseHeaders: extractResponseHeaders(response),
          }),
          abortSignal: idleTimeout.signal,
          fetch,
        }),
      );
      return {
        responseHeaders,
        events: () =>
          readCodexEvents({ response, responseHeaders, url, requestBodyValues: body, idleTimeout }),
        sse: () => idleTimeout.watchStream(response.body ?? emptyBody()),
      };
    },
  };
}
