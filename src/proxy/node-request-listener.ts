import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * Serves a fetch-style handler on a Node.js HTTP server, with less work per request than a general adaptor:
 * the body is read into one buffer before the `Request` is made (the proxy parses every body whole anyway),
 * and the response headers go out with the first bytes of the body instead of in a write of their own. Socket
 * writes are the largest part of what the proxy costs: fewer, larger writes are most of what it can save.
 *
 * Bodies larger than `maxBodyBytes` are not read: `tooLarge` answers them.
 */
export function createNodeRequestListener(
  handler: (request: Request) => Promise<Response>,
  { maxBodyBytes, tooLarge }: { maxBodyBytes: number; tooLarge: () => Response },
): RequestListener {
  return (incoming, outgoing) => {
    serve(incoming, outgoing).catch(() => outgoing.destroy());
  };

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse) {
    const body = hasBody(incoming) ? await readBody(incoming, maxBodyBytes) : undefined;
    if (body === TOO_LARGE) {
      // The rest of the body is never read, so the connection cannot carry another request.
      outgoing.shouldKeepAlive = false;
      return writeResponse(tooLarge(), outgoing);
    }
    const aborted = new AbortController();
    outgoing.once('close', () => {
      // Closed before the answer ended: the client went away, so its backend request is cancelled.
      if (!outgoing.writableFinished)
        aborted.abort(new DOMException('The client disconnected.', 'AbortError'));
    });
    const request = new Request(requestUrl(incoming), {
      method: incoming.method,
      headers: headerPairs(incoming.rawHeaders),
      body: body as Uint8Array<ArrayBuffer> | undefined,
      signal: aborted.signal,
    });
    await writeResponse(await handler(request), outgoing);
  }
}

const TOO_LARGE = Symbol('too large');

function hasBody(incoming: IncomingMessage): boolean {
  return incoming.method !== 'GET' && incoming.method !== 'HEAD';
}

function readBody(incoming: IncomingMessage, limit: number): Promise<Uint8Array | typeof TOO_LARGE> {
  if (Number(incoming.headers['content-length'] ?? 0) > limit) return Promise.resolve(TOO_LARGE);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.pause();
        incoming.removeAllListeners('data');
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    incoming.once('error', reject);
    // A client that hangs up mid-body leaves a request that never ends.
    incoming.once('close', () => {
      if (!incoming.complete) reject(new Error('The client disconnected before sending the whole body.'));
    });
  });
}

/**
 * The request's URL. Only its path and query matter to the routes; the `Host` header is checked by the
 * proxy's guard from the header itself, so a malformed one must not fail the request here.
 */
function requestUrl(incoming: IncomingMessage): string {
  const path = incoming.url?.startsWith('/') ? incoming.url : '/';
  return `http://localhost${path}`;
}

function headerPairs(raw: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
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

/** Node's response corks its socket for the rest of the turn at each write, so a turn's chunks leave together. */
async function pipeStream(body: ReadableStream<Uint8Array>, outgoing: ServerResponse): Promise<void> {
  const reader = body.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (outgoing.destroyed) throw new Error('The client disconnected.');
      if (!outgoing.write(value)) await drained(outgoing);
    }
    outgoing.end();
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    outgoing.destroy();
  }
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
