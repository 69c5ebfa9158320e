import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeRequest } from './node-request';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise(resolve => server?.close(resolve));
  server = undefined;
});

/** A server handing each request to `check` as a `createNodeRequest`; what it returns is the answer. */
async function serve(check: (request: Request, incoming: IncomingMessage) => Promise<unknown>) {
  server = createServer((incoming, outgoing) => {
    const request = createNodeRequest(
      incoming,
      `http://localhost${incoming.url}`,
      new AbortController().signal,
    );
    check(request, incoming).then(
      result => outgoing.end(JSON.stringify(result)),
      (error: Error) => outgoing.end(JSON.stringify({ error: error.name })),
    );
  });
  await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

function post(port: number, parts: string[], delayMs = 0): Promise<unknown> {
  const body = parts.join('');
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/v1/chat/completions?x=1',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      response => {
        let text = '';
        response.on('data', chunk => {
          text += chunk;
        });
        response.on('end', () => resolve(JSON.parse(text)));
      },
    );
    request.on('error', reject);
    const writeFrom = (index: number) => {
      if (index === parts.length) return request.end();
      request.write(parts[index]);
      setTimeout(() => writeFrom(index + 1), delayMs);
    };
    writeFrom(0);
  });
}

describe('createNodeRequest', () => {
  it('is a Request whose text() reads the body once, as UTF-8 without a byte order mark', async () => {
    const port = await serve(async (request, incoming) => {
      // Read once the whole request has come, as the proxy's routes do after their checks.
      await new Promise(resolve => setImmediate(resolve));
      const completeAtRead = incoming.complete;
      const text = await request.text();
      // Asking for anything else makes the real Request, which must not hand out the body a second time.
      void request.cache;
      const again = await request.text().then(
        () => 'read twice',
        (error: Error) => error.name,
      );
      return {
        completeAtRead,
        text,
        again,
        bodyUsed: request.bodyUsed,
        isRequest: request instanceof Request,
        method: request.method,
        url: request.url,
        contentType: request.headers.get('content-type'),
        aborted: request.signal.aborted,
      };
    });
    expect(await post(port, ['\uFEFF{"content":"héllo ✓"}'])).toEqual({
      completeAtRead: true,
      text: '{"content":"héllo ✓"}',
      again: 'TypeError',
      bodyUsed: true,
      isRequest: true,
      method: 'POST',
      url: 'http://localhost/v1/chat/completions?x=1',
      contentType: 'application/json',
      aborted: false,
    });
  });

  it('reads a body that arrives in parts after the headers', async () => {
    const port = await serve(async (request, incoming) => ({
      completeAtStart: incoming.complete,
      text: await request.text(),
    }));
    expect(await post(port, ['{"a":', '"b', '"}'], 20)).toEqual({
      completeAtStart: false,
      text: '{"a":"b"}',
    });
  });

  it('serves the rest of Request from a real one: json(), body, clone()', async () => {
    const port = await serve(async request => {
      const copy = request.clone();
      return {
        hasStream: request.body instanceof ReadableStream,
        json: await request.json(),
        copy: await copy.text(),
        bodyUsed: request.bodyUsed,
      };
    });
    expect(await post(port, ['{"n":', '1}'])).toEqual({
      hasStream: true,
      json: { n: 1 },
      copy: '{"n":1}',
      bodyUsed: true,
    });
  });

  it('rejects text() as an abort when the client leaves before the whole body came', async () => {
    const outcome = new Promise<string>(resolve => {
      void serve(async request => {
        const result = await request.text().then(
          () => 'read',
          (error: Error) => error.name,
        );
        resolve(result);
        return result;
      }).then(port => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"partial":',
          );
          setTimeout(() => socket.destroy(), 20);
        });
      });
    });
    expect(await outcome).toBe('AbortError');
  });
});
