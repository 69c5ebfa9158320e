import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

interface NodeRequestState {
  incoming: IncomingMessage;
  url: string;
  headers: Headers;
  signal: AbortSignal;
  /** The whole `Request`, made the first time something other than `text()` reads the body. */
  request?: Request;
  textRead: boolean;
}

const STATE = Symbol('node request');

type NodeRequest = Request & { [STATE]: NodeRequestState };

/**
 * The `Request` a Node.js server hands the proxy's app. Its URL, method, headers and signal are plain values,
 * and `text()`, the one way the proxy's routes read a body, reads it straight from the socket. Whatever else a
 * `Request` offers (`body`, `json()`, `clone()`, …) is served by a real one, made on first use, so it behaves
 * as one. A real `Request` around a web stream of the body costs a small request more than the rest of its
 * way through the proxy to the backend.
 */
export function createNodeRequest(incoming: IncomingMessage, url: string, signal: AbortSignal): Request {
  const request = Object.create(nodeRequestPrototype) as NodeRequest;
  request[STATE] = { incoming, url, headers: headersOf(incoming.rawHeaders), signal, textRead: false };
  // Hono's body limit counts a chunked body into a new `Request` made from this one, which needs a real one.
  return incoming.headers['transfer-encoding'] != null ? realRequest(request) : request;
}

const nodeRequestPrototype: object = Object.create(Request.prototype, {
  ...delegatedToRequest(),
  method: {
    get(this: NodeRequest) {
      return this[STATE].incoming.method ?? 'GET';
    },
  },
  url: {
    get(this: NodeRequest) {
      return this[STATE].url;
    },
  },
  headers: {
    get(this: NodeRequest) {
      return this[STATE].headers;
    },
  },
  signal: {
    get(this: NodeRequest) {
      return this[STATE].signal;
    },
  },
  body: {
    get(this: NodeRequest) {
      // Without a length or a chunked encoding an HTTP/1.1 request has no body (RFC 9112, 6.3).
      const state = this[STATE];
      if (state.request == null && state.incoming.headers['content-length'] == null) return null;
      return realRequest(this).body;
    },
  },
  bodyUsed: {
    get(this: NodeRequest) {
      const state = this[STATE];
      return state.textRead || (state.request?.bodyUsed ?? false);
    },
  },
  text: {
    value(this: NodeRequest): Promise<string> {
      const state = this[STATE];
      if (state.textRead)
        return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
      if (state.request != null) return state.request.text();
      state.textRead = true;
      return readText(state.incoming);
    },
  },
});

/** Every other member of `Request.prototype`, answered by the real `Request`. */
function delegatedToRequest(): PropertyDescriptorMap {
  const descriptors: PropertyDescriptorMap = {};
  for (const key of Reflect.ownKeys(Request.prototype)) {
    if (key === 'constructor' || key === Symbol.toStringTag) continue;
    const own = Object.getOwnPropertyDescriptor(Request.prototype, key)!;
    descriptors[key] =
      typeof own.value === 'function'
        ? {
            value(this: NodeRequest, ...args: unknown[]) {
              const request = realRequest(this);
              return Reflect.apply(Reflect.get(request, key) as (...a: unknown[]) => unknown, request, args);
            },
          }
        : {
            get(this: NodeRequest) {
              return Reflect.get(realRequest(this), key);
            },
          };
  }
  return descriptors;
}

function realRequest(request: NodeRequest): Request {
  const state = request[STATE];
  if (state.request == null) {
    const { incoming } = state;
    const withBody = incoming.method !== 'GET' && incoming.method !== 'HEAD' && !state.textRead;
    state.request = new Request(state.url, {
      method: incoming.method,
      headers: state.headers,
      body: withBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
      signal: state.signal,
      duplex: 'half',
    } as RequestInit);
  }
  return state.request;
}

function headersOf(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

const decoder = new TextDecoder();

/** The body as UTF-8 text, as `Request.text()` reads it (a byte order mark is dropped). */
async function readText(incoming: IncomingMessage): Promise<string> {
  // The app may ask while Node is still parsing the packet that brought the headers; a small body comes in
  // it too, and is parsed before promises resume. Then it is all here and taken at once.
  await Promise.resolve();
  if (incoming.complete) {
    const body = incoming.read() as Buffer | null;
    return body == null ? '' : decoder.decode(body);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => resolve(decoder.decode(Buffer.concat(chunks))));
    // An incoming message fails only when its connection does: the client left before sending it all.
    const disconnected = () => reject(new DOMException('The client disconnected.', 'AbortError'));
    incoming.once('error', disconnected);
    incoming.once('close', () => {
      if (!incoming.complete) disconnected();
    });
  });
}
