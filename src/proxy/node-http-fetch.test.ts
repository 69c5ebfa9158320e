import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/free-port';
import { isNetworkError } from '../backend/network-error';
import { createNodeHttpFetch } from './node-http-fetch';

let server: Server;
let base: string;
const received: Array<{ method?: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ method: req.method, headers: req.headers, body });
    if (req.url === '/empty') {
      res.writeHead(204).end();
    } else if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-codex-primary-used-percent': '12' });
      res.write('data: one\n\n');
      setTimeout(() => res.end('data: two\n\n'), 20);
    } else if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    } else {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' });
      res.end('{"error":{"message":"slow down"}}');
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
});

describe('createNodeHttpFetch', () => {
  const fetch = createNodeHttpFetch();

  it('sends the method, headers and body, and streams the answer with its status and headers', async () => {
    const response = await fetch(`${base}/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: '{"model":"gpt-5.5"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-codex-primary-used-percent')).toBe('12');
    expect(await response.text()).toBe('data: one\n\ndata: two\n\n');
    expect(received.at(-1)).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: '{"model":"gpt-5.5"}',
    });
  });

  it('answers errors and empty statuses as fetch does', async () => {
    const refused = await fetch(`${base}/limited`, { method: 'POST', body: '{}' });
    expect(refused.ok).toBe(false);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(await refused.json()).toEqual({ error: { message: 'slow down' } });

    const empty = await fetch(`${base}/empty`, { headers: new Headers({ accept: 'application/json' }) });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    expect(received.at(-1)?.headers.accept).toBe('application/json');
  });

  it('rejects with the signal’s reason when aborted, before or during the answer', async () => {
    const before = new AbortController();
    const pending = fetch(`${base}/stall`, { signal: before.signal });
    before.abort(new Error('client went away'));
    await expect(pending).rejects.toThrow('client went away');

    const during = new AbortController();
    const response = await fetch(`${base}/stall`, { signal: during.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n');
    during.abort();
    await expect(reader.read()).rejects.toThrow();
  });

  it('sends again, once, when a kept-alive connection turns out to be closed', async () => {
    const requestsPerConnection = new WeakMap<object, number>();
    let seen = 0;
    const flaky = createServer((req, res) => {
      seen += 1;
      const count = (requestsPerConnection.get(req.socket) ?? 0) + 1;
      requestsPerConnection.set(req.socket, count);
      // The second request on a connection finds it closed, as when the server timed it out just then.
      if (count === 2) return req.socket.destroy();
      res.end('fine');
    });
    await new Promise<void>(resolve => flaky.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/`;
    try {
      expect(await (await fetch(url)).text()).toBe('fine');
      expect(await (await fetch(url, { method: 'POST', body: 'again' })).text()).toBe('fine');
      expect(seen).toBe(3);
    } finally {
      flaky.closeAllConnections();
      await new Promise(resolve => flaky.close(resolve));
    }
  });

  it('fails a refused connection with a network error that retries recognise', async () => {
    const error = await fetch(`http://127.0.0.1:${await freePort()}/`).catch(e => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(isNetworkError(error)).toBe(true);
  });
});
