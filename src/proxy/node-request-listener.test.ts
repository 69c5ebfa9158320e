import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeRequestListener } from './node-request-listener';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise(resolve => server?.close(resolve));
  server = undefined;
});

const encoder = new TextEncoder();

async function serve(handler: (request: Request) => Promise<Response>, onSocket: (socket: Socket) => void) {
  server = createServer(createNodeRequestListener(handler));
  server.on('connection', onSocket);
  await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('createNodeRequestListener', () => {
  it('sends the first chunk of a stream before mapping the rest, and the rest together', async () => {
    let socket: Socket | undefined;
    // Whether the socket held back what was written when each later chunk was made. The chunks are ready at
    // once, as events that came in a burst are.
    const heldBack: boolean[] = [];
    const chunks = ['data: first\n\n', 'data: second\n\n', 'data: third\n\n'];
    let next = 0;
    const url = await serve(
      async () =>
        new Response(
          new ReadableStream<Uint8Array>(
            {
              pull(controller) {
                if (next > 0) heldBack.push(socket!.writableCorked > 0);
                if (next === chunks.length) return controller.close();
                controller.enqueue(encoder.encode(chunks[next++]!));
              },
            },
            { highWaterMark: 0 },
          ),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
      connection => {
        socket = connection;
      },
    );

    const response = await fetch(url, { method: 'POST', body: '{}' });
    expect(await response.text()).toBe(chunks.join(''));
    // The headers and the first chunk had left before the second was made; the later ones left together.
    expect(heldBack).toEqual([false, true, true]);
  });

  it('answers JSON whole, with its length', async () => {
    const url = await serve(
      async request => Response.json({ echo: await request.text() }),
      () => {},
    );
    const response = await fetch(url, { method: 'POST', body: 'hello' });
    expect(response.headers.get('content-length')).toBe(String('{"echo":"hello"}'.length));
    expect(await response.json()).toEqual({ echo: 'hello' });
  });
});
