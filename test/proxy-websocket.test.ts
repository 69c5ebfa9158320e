import type { IncomingMessage } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { functionCallTurn, textTurn } from '../src/testing';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

type Json = Record<string, unknown>;

const TERMINAL = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error']);

/** A client of the proxy's `/v1/responses` WebSocket, reading messages in order. */
class ResponsesClient {
  private readonly queue: Json[] = [];
  private waiter: ((message: Json) => void) | undefined;
  readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', data => {
      const message = JSON.parse(String(data)) as Json;
      if (this.waiter != null) {
        const resolve = this.waiter;
        this.waiter = undefined;
        resolve(message);
      } else this.queue.push(message);
    });
    this.closed = new Promise(resolve => socket.once('close', code => resolve(code)));
  }

  static open(url: string, headers: Record<string, string>): Promise<ResponsesClient> {
    const socket = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new ResponsesClient(socket)));
      socket.once('unexpected-response', (_request, response: IncomingMessage) => {
        let body = '';
        response.on('data', chunk => {
          body += chunk;
        });
        response.on('end', () => reject(new RefusedUpgrade(response.statusCode ?? 0, JSON.parse(body))));
      });
      socket.once('error', reject);
    });
  }

  next(): Promise<Json> {
    const message = this.queue.shift();
    if (message != null) return Promise.resolve(message);
    return new Promise(resolve => {
      this.waiter = resolve;
    });
  }

  /** Sends a `response.create` and reads its messages up to the one that ends it. */
  async create(request: Json): Promise<Json[]> {
    this.socket.send(JSON.stringify({ type: 'response.create', ...request }));
    const messages: Json[] = [];
    while (true) {
      const message = await this.next();
      messages.push(message);
      if (TERMINAL.has(String(message.type))) return messages;
    }
  }
}

class RefusedUpgrade extends Error {
  constructor(
    readonly status: number,
    readonly body: { error: { code: string; message: string } },
  ) {
    super(`upgrade refused with ${status}`);
  }
}

/** An upgrade request with exactly this request target, written on a socket; resolves with the whole answer. */
function rawUpgrade(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () =>
      socket.write(
        [
          `GET ${target} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          `Authorization: Bearer ${PROXY_API_KEY}`,
          'Connection: Upgrade',
          'Upgrade: websocket',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          '',
          '',
        ].join('\r\n'),
      ),
    );
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', chunk => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const userMessage = (text: string) => ({
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text }],
});

const completedResponse = (messages: Json[]) => messages.at(-1)?.response as Json & { id: string };

const textOf = (messages: Json[]) =>
  messages
    .filter(message => message.type === 'response.output_text.delta')
    .map(message => message.delta)
    .join('');

describe('the proxy /v1/responses over a WebSocket', () => {
  let harness: ProxyOverEmulator;
  const clients: ResponsesClient[] = [];

  // Set by a test that closed the proxy itself.
  let proxyClosed = false;

  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.terminate();
    if (proxyClosed) await harness.emulator.close();
    else await harness?.close();
    proxyClosed = false;
  });

  const connect = async (headers: Record<string, string> = {}, path = '/v1/responses') => {
    const client = await ResponsesClient.open(`${harness.proxy.url.replace(/^http/, 'ws')}${path}`, {
      authorization: `Bearer ${PROXY_API_KEY}`,
      ...headers,
    });
    clients.push(client);
    return client;
  };

  const refusal = async (headers: Record<string, string>, path?: string) => {
    const error = await connect(headers, path).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(RefusedUpgrade);
    return error as RefusedUpgrade;
  };

  it('answers response.create with the response events, one message each, and continues with only the new items', async () => {
    harness = await startProxyOverEmulator();
    harness.emulator.enqueue(
      functionCallTurn({ name: 'weather', arguments: { city: 'Paris' }, callId: 'call_paris' }),
      textTurn('Sunny in Paris.'),
    );
    const client = await connect();
    const tools = [{ type: 'function', name: 'weather', parameters: { type: 'object', properties: {} } }];

    const first = await client.create({ model: 'gpt-5.5', input: [userMessage('Weather in Paris?')], tools });
    // The subscription's rate limits and the turn state first, as the backend sends them, then the
    // response's events.
    expect(first[0]).toMatchObject({
      type: 'codex.rate_limits',
      rate_limits: { primary: { used_percent: 12, window_minutes: 300 }, secondary: { used_percent: 5 } },
    });
    expect(first[1]).toEqual({
      type: 'response.metadata',
      headers: { 'x-codex-turn-state': expect.stringMatching(/^ts_/) },
    });
    expect(first[2]?.type).toBe('response.created');
    const call = first.find(message => message.type === 'response.output_item.done')?.item as Json;
    expect(call).toMatchObject({ type: 'function_call', call_id: 'call_paris', name: 'weather' });

    const second = await client.create({
      model: 'gpt-5.5',
      previous_response_id: completedResponse(first).id,
      input: [{ type: 'function_call_output', call_id: 'call_paris', output: 'sunny' }],
      tools,
    });
    expect(second.at(-1)?.type).toBe('response.completed');
    expect(textOf(second)).toBe('Sunny in Paris.');

    const turns = harness.emulator.requestsTo('responses');
    expect(turns.map(turn => [turn.transport, turn.websocket?.incremental])).toEqual([
      ['websocket', false],
      ['websocket', true],
    ]);
    expect((turns[1]!.body as { input: Json[] }).input).toEqual([
      { type: 'function_call_output', call_id: 'call_paris', output: 'sunny' },
    ]);
    expect(turns[0]?.headers.authorization).toBe(`Bearer ${harness.login.accessToken}`);
  });

  it('gives the same answer over SSE upstream when the settings ask for it or give a fetch of their own', async () => {
    for (const codex of [{ transport: 'sse' as const }, { fetch: globalThis.fetch }]) {
      harness = await startProxyOverEmulator({ proxy: { codex } });
      harness.emulator.enqueue(textTurn('First answer.'), textTurn('Second answer.'));
      const client = await connect();

      const first = await client.create({ model: 'gpt-5.5', input: [userMessage('One')] });
      const second = await client.create({
        model: 'gpt-5.5',
        previous_response_id: completedResponse(first).id,
        input: [userMessage('Two')],
      });
      expect(textOf(second)).toBe('Second answer.');
      expect(second[0]).toMatchObject({
        type: 'codex.rate_limits',
        rate_limits: { primary: { used_percent: 12 } },
      });

      // The whole conversation each time: SSE has no connection to continue.
      const turns = harness.emulator.requestsTo('responses');
      expect(turns.map(turn => turn.transport)).toEqual(['http', 'http']);
      const input = (turns[1]!.body as { input: Json[] }).input;
      expect(input).toEqual([
        userMessage('One'),
        expect.objectContaining({ type: 'message', role: 'assistant' }),
        userMessage('Two'),
      ]);
      client.socket.terminate();
      await harness.close();
    }
    harness = await startProxyOverEmulator();
  });

  it('logs the upgrade and its messages with --verbose, never the key or the login’s tokens', async () => {
    harness = await startProxyOverEmulator({ proxy: { verbose: true } });
    const client = await connect();
    await client.create({ model: 'gpt-5.5', input: [userMessage(`my key is ${PROXY_API_KEY}`)] });

    const log = harness.logLines.join('\n');
    expect(log).toMatch(/→ GET \/v1\/responses headers=.*"authorization":"\[redacted\]"/);
    expect(log).toMatch(/← GET \/v1\/responses 101 in \d+ ms/);
    expect(log).toContain('body={"type":"response.create"');
    expect(log).toMatch(/response\.create answered in \d+ ms/);
    expect(log).not.toContain(PROXY_API_KEY);
    expect(log).not.toContain(harness.login.accessToken);
  });

  it('sends the Lite flag of a message’s client_metadata as the Lite header over SSE upstream', async () => {
    harness = await startProxyOverEmulator({ proxy: { codex: { transport: 'sse' } } });
    const client = await connect();
    const liteKey = 'ws_request_header_x_openai_internal_codex_responses_lite';

    const messages = await client.create({
      model: 'gpt-6.2-sol',
      input: [userMessage('Hi')],
      client_metadata: { [liteKey]: 'true', thread_id: 'thread_1' },
    });
    expect(messages.at(-1)?.type).toBe('response.completed');

    const [turn] = harness.emulator.requestsTo('responses');
    expect(turn?.transport).toBe('http');
    expect(turn?.headers['x-openai-internal-codex-responses-lite']).toBe('true');
    expect((turn!.body as { client_metadata: Json }).client_metadata).toEqual({ thread_id: 'thread_1' });
  });

  it('refuses a turn state in client_metadata that cannot be a header, before asking the backend', async () => {
    harness = await startProxyOverEmulator({ proxy: { codex: { transport: 'sse' } } });
    const client = await connect();
    const [refused] = await client.create({
      model: 'gpt-5.5',
      input: [userMessage('Hi')],
      client_metadata: { 'x-codex-turn-state': 'line\nbreak' },
    });
    expect(refused).toMatchObject({
      type: 'error',
      status: 400,
      error: { type: 'invalid_request_error', param: 'client_metadata.x-codex-turn-state' },
    });
    expect(harness.emulator.counters.requests.responses).toBe(0);
    expect(harness.logLines.filter(line => /unexpected/i.test(line))).toEqual([]);
  });

  it('answers a prewarm itself, and the next request continues it', async () => {
    harness = await startProxyOverEmulator();
    const client = await connect();
    const developer = {
      type: 'message',
      role: 'developer',
      content: [{ type: 'input_text', text: 'Be brief.' }],
    };

    const prewarm = await client.create({ model: 'gpt-5.5', input: [developer], generate: false });
    expect(prewarm.map(message => message.type)).toEqual(['response.created', 'response.completed']);
    expect(completedResponse(prewarm).output).toEqual([]);
    expect(harness.emulator.counters.requests.responses).toBe(0);

    const answer = await client.create({
      model: 'gpt-5.5',
      previous_response_id: completedResponse(prewarm).id,
      input: [userMessage('Hello')],
    });
    expect(answer.at(-1)?.type).toBe('response.completed');
    const [turn] = harness.emulator.requestsTo('responses');
    expect((turn!.body as { input: Json[] }).input).toEqual([developer, userMessage('Hello')]);
  });

  it('answers an unknown previous_response_id, a malformed message and a busy connection with error messages', async () => {
    harness = await startProxyOverEmulator();
    harness.emulator.enqueue(textTurn('Slow answer.', { delayMs: 100 }));
    const client = await connect();

    const [notFound] = await client.create({
      model: 'gpt-5.5',
      previous_response_id: 'resp_unknown',
      input: [userMessage('Hi')],
    });
    expect(notFound).toMatchObject({
      type: 'error',
      status: 400,
      error: {
        type: 'invalid_request_error',
        code: 'previous_response_not_found',
        param: 'previous_response_id',
      },
    });

    client.socket.send(JSON.stringify({ type: 'response.cancel' }));
    expect(await client.next()).toMatchObject({ type: 'error', status: 400, error: { param: 'type' } });

    client.socket.send(
      JSON.stringify({ type: 'response.create', model: 'gpt-5.5', input: [userMessage('Hi')] }),
    );
    client.socket.send(
      JSON.stringify({ type: 'response.create', model: 'gpt-5.5', input: [userMessage('Again')] }),
    );
    const messages: Json[] = [];
    while (messages.filter(message => TERMINAL.has(String(message.type))).length < 2) {
      messages.push(await client.next());
    }
    expect(messages.find(message => message.type === 'error')).toMatchObject({
      status: 400,
      error: { code: 'response_already_in_flight' },
    });
    expect(textOf(messages)).toBe('Slow answer.');
    expect(harness.emulator.counters.requests.responses).toBe(1);
  });

  it('answers a usage limit with the backend’s error message: status 429, the reset time, retry-after', async () => {
    harness = await startProxyOverEmulator({
      emulator: { usageWindow: { requests: 1, resetAfterSeconds: 600 } },
    });
    const client = await connect();
    expect((await client.create({ model: 'gpt-5.5', input: [userMessage('One')] })).at(-1)?.type).toBe(
      'response.completed',
    );

    const [limited] = await client.create({ model: 'gpt-5.5', input: [userMessage('Two')] });
    expect(limited).toMatchObject({
      type: 'error',
      status: 429,
      error: { type: 'usage_limit_reached', code: 'usage_limit_reached', resets_at: expect.any(Number) },
      headers: { 'retry-after': expect.stringMatching(/^\d+$/) },
    });
  });

  it('ends a response the backend cut mid-stream with a retryable error, and serves the next one', async () => {
    harness = await startProxyOverEmulator();
    harness.emulator.enqueue(textTurn('A cut answer.', { dropAfter: 3 }), textTurn('A whole answer.'));
    const client = await connect();

    const cut = await client.create({ model: 'gpt-5.5', input: [userMessage('One')] });
    expect(cut.at(-1)).toMatchObject({ type: 'error', status: 502, error: { type: 'server_error' } });
    const retried = await client.create({ model: 'gpt-5.5', input: [userMessage('One')] });
    expect(textOf(retried)).toBe('A whole answer.');
  });

  /** A client whose slow answer has started: the messages before the first event are read. */
  async function startSlowAnswer() {
    harness = await startProxyOverEmulator();
    harness.emulator.enqueue(textTurn('A slow answer, cut before it ends.', { delayMs: 200 }));
    const client = await connect();
    client.socket.send(
      JSON.stringify({ type: 'response.create', model: 'gpt-5.5', input: [userMessage('Hi')] }),
    );
    expect((await client.next()).type).toBe('codex.rate_limits');
    expect((await client.next()).type).toBe('response.metadata');
    expect((await client.next()).type).toBe('response.created');
    return client;
  }

  it('aborts the backend response when the client closes the connection', async () => {
    const client = await startSlowAnswer();
    client.socket.close();

    await expect.poll(() => harness.emulator.counters.clientClosedStreams).toBe(1);
    expect(harness.emulator.counters.completedStreams).toBe(0);
  });

  it('ends its WebSocket connections when the proxy closes', async () => {
    const client = await startSlowAnswer();

    await harness.proxy.close();
    proxyClosed = true;
    expect(await client.closed).toBe(1006);
    await expect.poll(() => harness.emulator.counters.clientClosedStreams).toBe(1);
  });

  describe('refuses, before upgrading and with nothing sent upstream,', () => {
    const expectNothingUpstream = () => {
      expect(harness.emulator.requestsTo('websocket')).toHaveLength(0);
      expect(harness.emulator.counters.requests.responses).toBe(0);
    };

    it('a Host the proxy is not served under (DNS rebinding)', async () => {
      harness = await startProxyOverEmulator();
      const refused = await refusal({ host: `rebound.example:${harness.proxy.port}` });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('host_not_allowed');
      expectNothingUpstream();
    });

    it('a web page of another origin, unless cors allows it', async () => {
      harness = await startProxyOverEmulator({ proxy: { cors: { origin: 'https://app.example' } } });
      const refused = await refusal({ origin: 'https://evil.example' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('origin_not_allowed');
      expectNothingUpstream();
      await expect(connect({ origin: 'https://app.example' })).resolves.toBeInstanceOf(ResponsesClient);
    });

    it('a missing or wrong key', async () => {
      harness = await startProxyOverEmulator();
      for (const authorization of ['', 'Bearer not-the-key']) {
        const refused = await refusal({ authorization });
        expect(refused.status).toBe(401);
        expect(refused.body.error.code).toBe('invalid_api_key');
      }
      expectNothingUpstream();
    });

    it('a path other than /v1/responses under the base path', async () => {
      harness = await startProxyOverEmulator({ proxy: { basePath: '/api/codex' } });
      for (const path of ['/v1/responses', '/api/codex/v1/chat/completions']) {
        const refused = await refusal({}, path);
        expect(refused.status).toBe(404);
        expect(refused.body.error.code).toBe('unknown_url');
      }
      await expect(connect({}, '/api/codex/v1/responses')).resolves.toBeInstanceOf(ResponsesClient);
      expectNothingUpstream();
    });

    it('a request target that is no path, and the proxy serves on', async () => {
      harness = await startProxyOverEmulator();
      for (const target of ['http://[', '//evil.example/v1/responses']) {
        const answer = await rawUpgrade(harness.proxy.port, target);
        expect(answer).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
        expect(answer).toContain('"code":"unknown_url"');
      }
      await expect(connect()).resolves.toBeInstanceOf(ResponsesClient);
      expectNothingUpstream();
    });

    it('a message over maxBodyBytes (the connection is closed) or over the JSON limits', async () => {
      harness = await startProxyOverEmulator({ proxy: { maxBodyBytes: 64 * 1024 } });
      const client = await connect();
      const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
      client.socket.send(`{"type":"response.create","model":"gpt-5.5","input":${deep}}`);
      expect(await client.next()).toMatchObject({
        type: 'error',
        status: 400,
        error: { code: 'request_too_complex', param: 'input' },
      });

      client.socket.send(
        JSON.stringify({
          type: 'response.create',
          model: 'gpt-5.5',
          input: [userMessage('x'.repeat(70_000))],
        }),
      );
      expect(await client.closed).toBe(1009);
      expectNothingUpstream();
    });
  });
});
