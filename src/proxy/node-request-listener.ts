import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

import { createNodeRequest } from './node-request';

/**
 * Serves a fetch-style handler on a Node.js HTTP server, with less work per request than a general adaptor:
 * the response headers go out with the first bytes of the body instead of in a write of their own. Socket
 * writes are the largest part of what the proxy costs: fewer, larger writes are most of what it can save.
 *
 * The body is read only when the handler reads it, after its Host, Origin and key checks: a request they
 * refuse costs no more than its headers, whatever it sends after them.
 */
export function createNodeRequestListener(handler: (request: Request) => Promise<Response>): RequestListener {
  return (incoming, outgoing) => {
    serve(incoming, outgoing).catch(() => outgoing.destroy());
  };

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse) {
    const aborted = new AbortController();
    outgoing.once('close', () => {
      // Closed before the answer ended: the client went away, so its backend request is cancelled.
      if (!outgoing.writableFinished)
        aborted.abort(new DOMException('The client disconnected.', 'AbortError'));
    });
    const request = createNodeRequest(incoming, requestUrl(incoming), aborted.signal);
    const response = await handler(request);
    // A body left unread (a refused request) would be taken for the next request on the connection.
    if (!incoming.complete) outgoing.shouldKeepAlive = false;
    await writeResponse(response, outgoing);
  }
}

/**
 * The request's URL. Only its path and query matter to the routes; the `Host` header is checked by the
 * proxy's guard from the header itself, so a malformed one must not fail the request here.
 */
function requestUrl(incoming: IncomingMessage): string {
  const path = incoming.url?.startsWith('/') ? incoming.url : '/';
  return `http://localhost${path}`;
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;

  if (response.body == null) {
    outgoing.writeHead(response.status, headers).end();
    return;
  }
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    // A whole answer (JSON): sent at once, with its length, as OpenAI's API does.
    const bytes = new Uint8Array(await response.arrayBuffer());
    headers['content-length'] = String(bytes.byteLength);
    outgoing.writeHead(response.status, headers).end(bytes);
    return;
  }
  outgoing.writeHead(response.status, headers);
  await pipeStream(response.body, outgoing);
}

/**
 * Node's response corks its socket for the rest of the turn at each write, so a turn's chunks leave together.
 * The first chunk (the headers, and on the chat path the first token) leaves on its own: when the backend's
 * events come faster than they are mapped, a turn lasts until every event that came is mapped, and the first
 * token would wait for the last.
 */
async function pipeStream(body: ReadableStream<Uint8Array>, outgoing: ServerResponse): Promise<void> {
  const reader = body.getReader();
  try {
    let first = true;
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (outgoing.destroyed) throw new Error('The client disconnected.');
      const flowing = outgoing.write(value);
      if (first) {
        first = false;
        await endOfTurn();
      }
      if (!flowing) await drained(outgoing);
    }
    outgoing.end();
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    outgoing.destroy();
  }
}

/** Resolves once the current turn of the event loop is over, and with it Node's corking of its writes. */
function endOfTurn(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}

function drained(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      outgoing.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      outgoing.off('drain', onDrain);
      reject(new Error('The client disconnected.'));
    };
    outgoing.once('drain', onDrain);
    outgoing.once('close', onClose);
  });
}
