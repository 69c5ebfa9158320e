import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RequestCounter {
  /** `http://127.0.0.1:PORT`: use it in place of the target's origin. */
  readonly url: string;
  /** Requests whose answer is still open: neither finished nor closed by either side. */
  readonly inFlight: number;
  /** Requests relayed since the start. */
  readonly total: number;
  close(): Promise<void>;
}

/**
 * An HTTP relay in front of a server on 127.0.0.1 that counts the requests clients still hold open, so a test
 * can see that every request was ended (answered, or closed by the client) and none was left hanging. It
 * counts requests, not sockets: an idle keep-alive connection in a client's pool is no open request.
 * Faults pass through: a connection the target drops is dropped towards the client too.
 */
export async function startRequestCounter(targetURL: string): Promise<RequestCounter> {
  const target = new URL(targetURL);
  const open = new Set<ServerResponse>();
  let total = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    total += 1;
    open.add(res);
    res.on('close', () => open.delete(res));
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders();
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        answer.on('aborted', () => res.destroy());
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
    res.on('close', () => upstream.destroy());
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get inFlight() {
      return open.size;
    },
    get total() {
      return total;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
