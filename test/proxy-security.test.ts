import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect as connectTcp } from 'node:net';
import type { FetchFunction } from '@ai-sdk/provider-utils';
import { createAdaptorServer } from '@hono/node-server';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CodexProxyHandler, createCodexProxy, isLoopbackHost, serveCodexProxy } from '../src/proxy';
import { reasoningTurn, startCodexEmulator, textTurn, turn } from '../src/testing';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';
import { rawRequest } from './support/raw-http';

let harness: ProxyOverEmulator | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await harness?.close();
  harness = undefined;
});

const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }], ...extra });

/** The proxy still serves a client after a refused or abandoned request, which reached nothing upstream. */
async function expectNextClientServed({ baseURL, emulator }: ProxyOverEmulator) {
  const next = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_API_KEY}` },
    body: chatBody(),
  });
  expect(next.status).toBe(200);
  expect(emulator.counters.requests.responses).toBe(1);
}

describe('binding', () => {
  it('refuses a non-loopback address without an API key, with a message saying what to do', async () => {
    vi.stubEnv('CODEX_PROXY_API_KEY', '');
    const error = await serveCodexProxy({ host: '0.0.0.0', port: 0 }).catch(e => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/--api-key or CODEX_PROXY_API_KEY/);
  });

  it('listens on a non-loopback address when a key is set (option or environment)', async () => {
    vi.stubEnv('CODEX_PROXY_API_KEY', 'env-key-123');
    const server = await serveCodexProxy({ host: '0.0.0.0', port: 0, logger: { info() {}, error() {} } });
    try {
      expect(server.host).toBe('0.0.0.0');
      const health = await fetch(`http://127.0.0.1:${server.port}/health`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const models = await fetch(`http://127.0.0.1:${server.port}/v1/models`);
      expect(models.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('binds 127.0.0.1 by default and tells loopback addresses apart', async () => {
    vi.stubEnv('CODEX_PROXY_API_KEY', '');
    const server = await serveCodexProxy({ port: 0, logger: { info() {}, error() {} } });
    try {
      expect(server.host).toBe('127.0.0.1');
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    } finally {
      await server.close();
    }
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.2', 'example.com', '10.0.0.1'].some(isLoopbackHost)).toBe(false);
  });
});

describe('API key', () => {
  it('answers a missing or wrong key with OpenAI’s 401 and never reaches the backend', async () => {
    harness = await startProxyOverEmulator();
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-key' },
      { authorization: PROXY_API_KEY },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${harness.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: chatBody(),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: {
          message: expect.stringContaining('Authorization: Bearer'),
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    }
    const wrong = new OpenAI({ baseURL: harness.baseURL, apiKey: 'not-the-key', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(harness.emulator.counters.requests.responses).toBe(0);
    expect(harness.emulator.counters.requests.models).toBe(0);
  });
});

describe('limits and CORS', () => {
  it('answers a body over the limit with 413', async () => {
    harness = await startProxyOverEmulator({ proxy: { maxBodyBytes: 1024 } });
    const response = await fetch(`${harness.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_API_KEY}` },
      body: chatBody({ messages: [{ role: 'user', content: 'x'.repeat(4096) }] }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'request_too_large' } });
    expect(harness.emulator.counters.requests.responses).toBe(0);
  });

  it('refuses a foreign Host before reading the body, so a large body costs it nothing', async () => {
    harness = await startProxyOverEmulator();
    const { hostname, port } = new URL(harness.baseURL);
    const socket = connectTcp(Number(port), hostname);
    await new Promise(resolve => socket.once('connect', resolve));
    const answer = new Promise<string>(resolve => socket.once('data', chunk => resolve(chunk.toString())));
    // Headers announcing 30 MB that never come: an answer proves the proxy did not wait for them.
    socket.write(
      'POST /v1/chat/completions HTTP/1.1\r\nHost: attacker.example\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${PROXY_API_KEY}\r\nContent-Length: 30000000\r\n\r\n`,
    );
    expect((await answer).split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden');
    socket.destroy();
    expect(harness.emulator.counters.requests.responses).toBe(0);
  });

  it('forgets a request whose client hangs up halfway through its body, and serves the next client', async () => {
    harness = await startProxyOverEmulator();
    const { hostname, port, host } = new URL(harness.baseURL);
    const socket = connectTcp(Number(port), hostname);
    await new Promise(resolve => socket.once('connect', resolve));
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${PROXY_API_KEY}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"model":"gpt-5.5",',
    );
    await new Promise(resolve => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise(resolve => setTimeout(resolve, 50));

    await expectNextClientServed(harness);
    expect(harness.logLines.filter(line => /unexpected/i.test(line))).toEqual([]);
  });

  it('answers a chunked body over the limit with 413 without reading it all, and serves one under it', async () => {
    harness = await startProxyOverEmulator({ proxy: { maxBodyBytes: 1024 } });
    const chunked = (body: string) =>
      rawRequest(`${harness!.baseURL}/chat/completions`, {
        method: 'POST',
        headers: {
          host: new URL(harness!.baseURL).host,
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
          authorization: `Bearer ${PROXY_API_KEY}`,
        },
        body,
      });
    const over = await chunked(chatBody({ messages: [{ role: 'user', content: 'x'.repeat(64 * 1024) }] }));
    expect(over.status).toBe(413);
    expect(over.json()).toMatchObject({ error: { code: 'request_too_large' } });
    expect(harness.emulator.counters.requests.responses).toBe(0);

    const under = await chunked(chatBody());
    expect(under.status).toBe(200);
    expect(harness.emulator.counters.requests.responses).toBe(1);
  });

  it('sends no CORS headers unless asked, and answers preflights for the allowed origin when asked', async () => {
    const preflight = (baseURL: string) =>
      fetch(`${baseURL}/chat/completions`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:3000',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });

    harness = await startProxyOverEmulator();
    const off = await preflight(harness.baseURL);
    expect(off.headers.get('access-control-allow-origin')).toBeNull();
    await harness.close();

    harness = await startProxyOverEmulator({ proxy: { cors: { origin: 'http://localhost:3000' } } });
    const on = await preflight(harness.baseURL);
    expect(on.status).toBe(204);
    expect(on.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(on.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});

describe('--verbose logging', () => {
  it('logs each request with headers and body, and never a token or the proxy key', async () => {
    harness = await startProxyOverEmulator({ proxy: { verbose: true } });
    const { emulator, login } = harness;
    const client = new OpenAI({ baseURL: harness.baseURL, apiKey: PROXY_API_KEY, maxRetries: 0 });
    emulator.enqueue(reasoningTurn('Thinking.', 'Done.'), textTurn('Also done.'));

    await client.chat.completions.create({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'first question' }],
    });
    await client.responses.create({ model: 'gpt-5.5', input: 'second question', temperature: 1 });
    await client.models.list();
    // A client that pastes a token where the key goes: it must not be echoed either.
    await fetch(`${harness.baseURL}/models`, { headers: { authorization: `Bearer ${login.accessToken}` } });

    const log = harness.logLines.join('\n');
    expect(log).toContain('→ POST /v1/chat/completions');
    expect(log).toContain('first question');
    expect(log).toContain('← POST /v1/responses 200');
    expect(log).toContain('dropped parameters the backend refuses: temperature');
    expect(log).toContain('← GET /v1/models 401');
    for (const secret of [
      PROXY_API_KEY,
      login.accessToken,
      login.refreshToken,
      login.idToken,
      login.accountId,
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('client disconnects', () => {
  it('aborts the backend request when the client goes away mid-stream', async () => {
    const upstreamSignals: AbortSignal[] = [];
    // Observes the real requests the proxy makes upstream; they still go over HTTP to the emulator.
    const observingFetch: FetchFunction = (input, init) => {
      if (init?.signal != null && String(input).endsWith('/responses')) upstreamSignals.push(init.signal);
      return globalThis.fetch(input, init);
    };
    harness = await startProxyOverEmulator({ proxy: { codex: { fetch: observingFetch } } });
    const { emulator } = harness;

    for (const path of ['/chat/completions', '/responses']) {
      // A turn that sends a few events and then stalls, as a model thinking for a long time would.
      emulator.enqueue(
        turn([{ type: 'message', text: 'partial answer that never ends' }], { stallAfter: 6 }),
      );
      const client = new AbortController();
      const body =
        path === '/responses'
          ? JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true })
          : chatBody({ stream: true });
      const response = await fetch(`${harness.baseURL}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_API_KEY}` },
        body,
        signal: client.signal,
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      await reader.read();
      client.abort();

      const signal = upstreamSignals.at(-1);
      await vi.waitFor(() => expect(signal?.aborted).toBe(true), { timeout: 5000 });
    }
    expect(upstreamSignals).toHaveLength(2);
    expect(emulator.counters.completedStreams).toBe(0);
  });
});

const EVIL_ORIGIN = 'https://evil.example';
const ROUTES = [
  '/health',
  '/v1/models',
  '/v1/models/gpt-5.5',
  '/v1/chat/completions',
  '/v1/responses',
  '/v1/nope',
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const authorized = { authorization: `Bearer ${PROXY_API_KEY}` };

describe('web pages (Host, Origin, content types)', () => {
  it('refuses a Host other than the served address and port (DNS rebinding) on every route, reaching nothing', async () => {
    harness = await startProxyOverEmulator({ proxy: { allowedHosts: ['proxy.lan', '.corp.example'] } });
    const { proxy, emulator } = harness;
    const before = emulator.requests.length;
    const foreign = [
      `evil.example:${proxy.port}`,
      'evil.example',
      `127.0.0.1.evil.example:${proxy.port}`,
      `localhost:${proxy.port + 1}`,
      `corp.example.evil:${proxy.port}`,
    ];
    for (const host of foreign) {
      for (const path of ROUTES) {
        const answer = await rawRequest(`${proxy.url}${path}`, {
          method: path.endsWith('completions') || path.endsWith('responses') ? 'POST' : 'GET',
          headers: { host, ...authorized, 'content-type': 'application/json' },
          body: path.endsWith('completions') || path.endsWith('responses') ? chatBody() : undefined,
        });
        expect(`${host} ${path} ${answer.status}`).toBe(`${host} ${path} 403`);
        expect(answer.json().error).toMatchObject({ type: 'permission_error', code: 'host_not_allowed' });
      }
    }
    const refusal = await rawRequest(`${proxy.url}/v1/models`, { headers: { host: 'rebound.example:80' } });
    expect(refusal.json().error?.message).toContain('start serve with --allowed-host rebound.example');
    expect(emulator.requests.length).toBe(before);

    const served = [
      `127.0.0.1:${proxy.port}`,
      `localhost:${proxy.port}`,
      `LOCALHOST.:${proxy.port}`,
      `[::1]:${proxy.port}`,
      'proxy.lan',
      `proxy.lan:${proxy.port}`,
      `api.corp.example:${proxy.port}`,
    ];
    for (const host of served) {
      const answer = await rawRequest(`${proxy.url}/health`, { headers: { host } });
      expect(`${host} ${answer.status}`).toBe(`${host} 200`);
    }
  });

  it('refuses a foreign Origin on every route and method, preflights included, reaching nothing', async () => {
    harness = await startProxyOverEmulator({ proxy: { cors: { origin: 'http://localhost:3000' } } });
    const { proxy, emulator } = harness;
    const before = emulator.requests.length;
    for (const origin of [EVIL_ORIGIN, 'null', 'http://localhost:3001']) {
      for (const path of ROUTES) {
        for (const method of METHODS) {
          const answer = await rawRequest(`${proxy.url}${path}`, {
            method,
            headers: {
              origin,
              ...authorized,
              'content-type': 'application/json',
              ...(method === 'OPTIONS' && { 'access-control-request-method': 'POST' }),
            },
            body: method === 'POST' ? chatBody() : undefined,
          });
          expect(`${origin} ${method} ${path} ${answer.status}`).toBe(`${origin} ${method} ${path} 403`);
          expect(answer.headers['access-control-allow-origin']).toBeUndefined();
          expect(answer.json().error).toMatchObject({ code: 'origin_not_allowed' });
        }
      }
    }
    const refusal = await rawRequest(`${proxy.url}/v1/models`, { headers: { origin: EVIL_ORIGIN } });
    expect(refusal.json().error?.message).toContain(`start serve with --cors ${EVIL_ORIGIN}`);
    expect(emulator.requests.length).toBe(before);

    // The allowed origin: its preflight is answered, and so is its request.
    const preflight = await rawRequest(`${proxy.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const allowed = await rawRequest(`${proxy.url}/v1/models`, {
      headers: { origin: 'http://localhost:3000', ...authorized },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });

  it('answers POSTs whose body is not JSON (text, form, multipart, none declared) with 415, reaching nothing', async () => {
    harness = await startProxyOverEmulator();
    const { proxy, emulator } = harness;
    const before = emulator.requests.length;
    const bodies: Array<[string | undefined, string]> = [
      ['text/plain', chatBody()],
      ['text/plain;charset=UTF-8', chatBody()],
      ['application/x-www-form-urlencoded', `${chatBody()}=`],
      [
        'multipart/form-data; boundary=x',
        `--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n${chatBody()}\r\n--x--`,
      ],
      ['application/jsonp', chatBody()],
      [undefined, chatBody()],
    ];
    for (const path of ['/v1/chat/completions', '/v1/responses']) {
      for (const [contentType, body] of bodies) {
        const answer = await rawRequest(`${proxy.url}${path}`, {
          method: 'POST',
          headers: { ...authorized, ...(contentType != null && { 'content-type': contentType }) },
          body,
        });
        expect(`${path} ${contentType} ${answer.status}`).toBe(`${path} ${contentType} 415`);
        expect(answer.json().error).toMatchObject({
          code: 'unsupported_media_type',
          message: expect.stringContaining('Content-Type: application/json'),
        });
      }
    }
    expect(emulator.requests.length).toBe(before);

    harness.emulator.enqueue(textTurn('JSON with a charset is JSON.'));
    const json = await rawRequest(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...authorized, 'content-type': 'Application/JSON; charset=utf-8' },
      body: chatBody(),
    });
    expect(json.status).toBe(200);
  });
});

describe('createCodexProxy mounted in an app', () => {
  it('requires an API key unless allowUnauthenticated is set, and checks Host and the key over a real socket', async () => {
    vi.stubEnv('CODEX_PROXY_API_KEY', '');
    const emulator = await startCodexEmulator();
    const login = await emulator.login();
    const codex = { baseURL: emulator.baseURL, auth: login };
    const silent = { info() {}, error() {} };
    const servers: Server[] = [];
    try {
      expect(() => createCodexProxy({ codex, logger: silent })).toThrow(
        expect.objectContaining({
          name: 'AI_InvalidArgumentError',
          message: expect.stringMatching(/needs an API key.*pass apiKey.*allowUnauthenticated: true/),
        }),
      );

      const mount = async (handler: CodexProxyHandler) => {
        const server = createAdaptorServer({ fetch: handler }) as Server;
        servers.push(server);
        await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      };
      const keyed = await mount(
        createCodexProxy({ codex, logger: silent, apiKey: 'mounted-key', basePath: '/api/codex' }),
      );
      const noKey = await rawRequest(`${keyed}/api/codex/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chatBody(),
      });
      expect(noKey.status).toBe(401);
      const rebound = await rawRequest(`${keyed}/api/codex/v1/models`, {
        headers: { host: 'evil.example:3000', authorization: 'Bearer mounted-key' },
      });
      expect(rebound.status).toBe(403);
      expect(rebound.json().error?.message).toContain("allowedHosts: ['evil.example']");
      expect(emulator.requests.filter(request => request.route === 'responses')).toHaveLength(0);

      // Opting out by name serves clients without a key; the app's own pages (same origin) may call it.
      const open = await mount(createCodexProxy({ codex, logger: silent, allowUnauthenticated: true }));
      emulator.enqueue(textTurn('No key needed.'));
      const served = await rawRequest(`${open}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: open },
        body: chatBody(),
      });
      expect(served.status).toBe(200);
      expect(JSON.parse(served.text).choices[0].message.content).toBe('No key needed.');
    } finally {
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
      await emulator.close();
    }
  });
});

describe('requests that would cost the proxy', () => {
  const post = (path: string, body: string) =>
    rawRequest(`${harness!.proxy.url}/v1${path}`, {
      method: 'POST',
      headers: { ...authorized, 'content-type': 'application/json' },
      body,
    });

  it('answers over-long lists, deep nesting and over-deep JSON schemas with a 400 naming the field', async () => {
    harness = await startProxyOverEmulator();
    const before = harness.emulator.requests.length;
    // As text: JSON.stringify itself runs out of stack on a schema this deep.
    const deepSchema = (levels: number) =>
      `${'{"type":"object","required":["next"],"properties":{"next":'.repeat(levels)}{"type":"string"}${'}}'.repeat(levels)}`;
    const cases: Array<[string, unknown, string, RegExp]> = [
      [
        '/chat/completions',
        { model: 'gpt-5.5', messages: Array.from({ length: 60_000 }, () => ({ role: 'user', content: '' })) },
        'messages',
        /'messages' has more than 50000 items/,
      ],
      [
        '/responses',
        { model: 'gpt-5.5', input: Array.from({ length: 60_000 }, () => ({ role: 'user', content: 'x' })) },
        'input',
        /'input' has more than 50000 items/,
      ],
      [
        '/chat/completions',
        {
          model: 'gpt-5.5',
          messages: [{ role: 'user', content: 'hi' }],
          tools: [{ type: 'function', function: { name: 'deep', parameters: '$schema' } }],
        },
        'tools',
        /deeper than 128 levels in 'tools'/,
      ],
      [
        '/responses',
        {
          model: 'gpt-5.5',
          input: 'hi',
          text: { format: { type: 'json_schema', name: 'deep', schema: '$schema' } },
        },
        'text',
        /deeper than 128 levels in 'text'/,
      ],
    ];
    for (const [path, body, param, message] of cases) {
      const answer = await post(path, JSON.stringify(body).replace('"$schema"', deepSchema(5000)));
      expect(`${path} ${param} ${answer.status}`).toBe(`${path} ${param} 400`);
      expect(answer.json().error).toMatchObject({ param, type: 'invalid_request_error' });
      expect(answer.json().error?.message).toMatch(message);
    }
    const nested = await post('/chat/completions', `{"model":"gpt-5.5","messages":${'['.repeat(200_000)}`);
    expect(nested.status).toBe(400);
    expect(harness.emulator.requests.length).toBe(before);
  });

  it('answers a prompt_cache_key that cannot be a header with a 400 naming it, on both endpoints', async () => {
    harness = await startProxyOverEmulator();
    const before = harness.emulator.requests.length;
    for (const key of ['line\r\nx-injected: 1', 'schlüssel', 'emoji 🔑', 'nul\u0000']) {
      for (const [path, body] of [
        ['/chat/completions', chatBody({ prompt_cache_key: key })],
        ['/responses', JSON.stringify({ model: 'gpt-5.5', input: 'hi', prompt_cache_key: key })],
      ] as const) {
        const answer = await post(path, body);
        expect(`${path} ${JSON.stringify(key)} ${answer.status}`).toBe(`${path} ${JSON.stringify(key)} 400`);
        expect(answer.json().error).toMatchObject({
          param: 'prompt_cache_key',
          message: expect.stringContaining("Invalid value for 'prompt_cache_key': must be printable ASCII"),
        });
      }
    }
    expect(harness.emulator.requests.length).toBe(before);
  });
});

describe('log lines', () => {
  it('escapes control characters from requests, so that no request forges a line, and redacts before it cuts', async () => {
    harness = await startProxyOverEmulator({ proxy: { verbose: true } });
    const forged = '\n← POST /v1/chat/completions 200 in 1 ms\r\u001b[2K\u2028';
    await rawRequest(`${harness.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...authorized, 'content-type': 'application/json' },
      body: chatBody({ model: `gpt-unknown${forged}` }),
    });
    await rawRequest(`${harness.proxy.url}/v1/responses`, {
      method: 'POST',
      headers: { ...authorized, 'content-type': 'application/json' },
      body: `{"model":"gpt-5.5","input":"raw${forged}`,
    });
    await rawRequest(`${harness.proxy.url}/v1/models${encodeURI(forged)}`, { headers: authorized });
    // A key and a token straddling the point where a long body is cut.
    const { login } = harness;
    for (const secret of [PROXY_API_KEY, login.accessToken]) {
      const prefix = JSON.stringify({ model: 'gpt-5.5', messages: [{ role: 'user', content: '' }] }).length;
      const content = `${'x'.repeat(2000 - prefix - 3)} ${secret}`;
      harness.emulator.enqueue(textTurn('ok'));
      await rawRequest(`${harness.proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...authorized, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-5.5', messages: [{ role: 'user', content }] }),
      });
    }

    const lines = harness.logLines;
    expect(lines.join('\n')).toContain(
      'gpt-unknown\\n← POST /v1/chat/completions 200 in 1 ms\\r\\u001b[2K\\u2028',
    );
    for (const line of lines) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: no line may hold a control character
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    }
    expect(lines.some(line => line.startsWith('← POST /v1/chat/completions 200 in 1 ms'))).toBe(false);
    const log = lines.join('\n');
    expect(log).toContain('… (');
    expect(log).not.toContain(PROXY_API_KEY.slice(0, 6));
    expect(log).not.toContain(login.accessToken.slice(0, 12));
  });
});

describe('errors sent to clients', () => {
  it('leave out an unreachable backend’s address, which the server’s log keeps', async () => {
    const closed = createAdaptorServer({ fetch: () => new Response() }) as Server;
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise(resolve => closed.close(resolve));
    harness = await startProxyOverEmulator({
      proxy: { codex: { baseURL: `http://127.0.0.1:${port}/backend-api/codex` } },
    });
    const answer = await rawRequest(`${harness.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...authorized, 'content-type': 'application/json' },
      body: chatBody(),
    });
    expect(answer.status).toBe(502);
    expect(answer.json().error).toMatchObject({ code: 'backend_unreachable' });
    expect(answer.text).not.toContain(String(port));
    expect(harness.logLines.join('\n')).toContain(`127.0.0.1:${port}`);
  });
});
