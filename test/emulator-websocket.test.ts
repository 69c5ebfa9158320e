import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type CodexEmulator,
  type EmulatorLogin,
  functionCallTurn,
  startCodexEmulator,
  textTurn,
} from '../src/testing';
import { authHeaders, responsesBody, useEmulatorWithLogin } from './support/emulator-requests';

type Json = Record<string, unknown>;

const ctx = useEmulatorWithLogin();

const BETA = { 'openai-beta': 'responses_websockets=2026-02-06' };

/** Opens the emulator's `/responses` WebSocket; rejects with the HTTP status of a refused upgrade. */
function connect(emulator: CodexEmulator, headers: Record<string, string>): Promise<Session> {
  const socket = new WebSocket(`${emulator.baseURL.replace(/^http/, 'ws')}/responses`, { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(new Session(socket)));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () => reject(Object.assign(new Error(body), { status: response.statusCode })));
    });
    socket.once('error', reject);
  });
}

/** A client that sends `response.create` messages and collects the answers up to the last one. */
class Session {
  private readonly messages: Json[] = [];
  private waiting?: () => void;
  readonly closed: Promise<void>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', data => {
      this.messages.push(JSON.parse(String(data)) as Json);
      this.waiting?.();
    });
    this.closed = new Promise(resolve => socket.once('close', () => resolve()));
    this.closed.then(() => this.waiting?.());
  }

  /** Sends a request and returns its messages, up to `response.completed`/`failed`, an error, or the close. */
  async request(message: Json): Promise<Json[]> {
    this.messages.length = 0;
    this.socket.send(JSON.stringify({ type: 'response.create', ...message }));
    const received: Json[] = [];
    while (true) {
      const next = this.messages.shift();
      if (next === undefined) {
        if (this.socket.readyState !== WebSocket.OPEN) return received;
        await new Promise<void>(resolve => (this.waiting = resolve));
        continue;
      }
      received.push(next);
      if (['response.completed', 'response.failed', 'error'].includes(String(next.type))) return received;
    }
  }

  close(): void {
    this.socket.close();
  }
}

const login = (): EmulatorLogin => ctx.login;
const headers = () => ({ ...authHeaders(login()), ...BETA });
const userMessage = (text: string) => ({
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text }],
});
const textOf = (messages: Json[]) =>
  messages
    .filter(m => m.type === 'response.output_text.delta')
    .map(m => m.delta)
    .join('');
const responseIdOf = (messages: Json[]) =>
  (messages.find(m => m.type === 'response.completed')!.response as { id: string }).id;

describe('the /responses WebSocket', () => {
  it('prewarms, then continues the previous response with only the new items', async () => {
    const session = await connect(ctx.emulator, headers());
    const prewarm = await session.request(responsesBody({ input: [], generate: false }));
    expect(prewarm.map(m => m.type)).toEqual(['response.created', 'response.completed']);
    expect((prewarm[1]!.response as { output: unknown[] }).output).toEqual([]);

    ctx.emulator.enqueue(functionCallTurn({ name: 'weather', arguments: { city: 'Paris' } }));
    const first = await session.request(
      responsesBody({
        previous_response_id: responseIdOf(prewarm),
        input: [userMessage('Weather in Paris?')],
      }),
    );
    expect(first[0]).toMatchObject({ type: 'codex.rate_limits', rate_limits: { allowed: true } });
    // The turn state, where SSE sends the x-codex-turn-state header; a prewarm has none.
    expect(first[1]).toEqual({
      type: 'response.metadata',
      headers: { 'x-codex-turn-state': expect.stringMatching(/^ts_/) },
    });
    expect(prewarm.map(m => m.type)).not.toContain('response.metadata');
    expect(first.slice(2).map(m => m.type)).toEqual(
      expect.arrayContaining(['response.created', 'response.output_item.done', 'response.completed']),
    );
    const call = (first.find(m => m.type === 'response.output_item.done')!.item as { call_id: string })
      .call_id;

    // Unscripted: the default turn quotes the last user message of the whole conversation.
    const second = await session.request(
      responsesBody({
        previous_response_id: responseIdOf(first),
        input: [{ type: 'function_call_output', call_id: call, output: 'sunny' }],
      }),
    );
    expect(textOf(second)).toContain('Weather in Paris?');

    const logged = ctx.emulator.requestsTo('responses');
    expect(logged.map(r => [r.transport, r.method, r.websocket?.incremental, r.websocket?.generate])).toEqual(
      [
        ['websocket', 'WS', false, false],
        ['websocket', 'WS', true, true],
        ['websocket', 'WS', true, true],
      ],
    );
    expect(new Set(logged.map(r => r.websocket?.connection)).size).toBe(1);
    expect(ctx.emulator.requestsTo('websocket')[0]?.headers['openai-beta']).toBe(BETA['openai-beta']);
    expect(ctx.emulator.counters).toMatchObject({
      websocketConnections: 1,
      websocketMessages: 3,
      websocketBytesReceived: logged.reduce((sum, r) => sum + Buffer.byteLength(r.bodyText), 0),
      completedStreams: 2,
    });
    session.close();
  });

  it('answers previous_response_not_found for a response the connection has not seen', async () => {
    const a = await connect(ctx.emulator, headers());
    const first = await a.request(responsesBody());
    const b = await connect(ctx.emulator, headers());
    const answer = await b.request(responsesBody({ previous_response_id: responseIdOf(first), input: [] }));
    expect(answer).toEqual([
      expect.objectContaining({
        type: 'error',
        status: 400,
        error: expect.objectContaining({ code: 'previous_response_not_found' }),
      }),
    ]);
    // The same connection still works with the full input.
    expect(textOf(await b.request(responsesBody()))).toContain('Say hello');
    a.close();
    b.close();
  });

  it('refuses upgrades without a valid token or without the beta header', async () => {
    await expect(connect(ctx.emulator, { ...BETA, authorization: 'Bearer nope' })).rejects.toMatchObject({
      status: 401,
    });
    await expect(connect(ctx.emulator, authHeaders(login()))).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('responses_websockets=2026-02-06'),
    });
    expect(ctx.emulator.counters.websocketConnections).toBe(0);
  });

  // Shapes as recorded in fixtures/codex/ws_error_event_usage_limit.json and ws_error_event_connection_limit.json.
  it('sends usage-limit and connection-limit errors as messages', async () => {
    ctx.emulator.setRateLimits({ primary: { usedPercent: 100 } });
    const session = await connect(ctx.emulator, headers());
    const [limit] = await session.request(responsesBody());
    expect(Object.keys(limit!).sort()).toEqual(['error', 'headers', 'status', 'type']);
    expect(limit).toMatchObject({
      type: 'error',
      status: 429,
      error: { type: 'usage_limit_reached', resets_at: expect.any(Number) },
      headers: { 'x-codex-primary-used-percent': '100' },
    });
    session.close();

    await using limited = await startCodexEmulator({ websocketConnectionLimit: 1 });
    const limitedLogin = await limited.login();
    const limitedHeaders = { ...authHeaders(limitedLogin), ...BETA };
    const one = await connect(limited, limitedHeaders);
    const two = await connect(limited, limitedHeaders);
    const [refused] = await two.request(responsesBody());
    expect(refused).toMatchObject({
      type: 'error',
      status: 400,
      error: { type: 'invalid_request_error', code: 'websocket_connection_limit_reached' },
    });
    expect(textOf(await one.request(responsesBody()))).toContain('Say hello');
    one.close();
    two.close();
  });

  it('drops the connection mid-stream and plays HTTP faults as error messages', async () => {
    ctx.emulator.enqueue(textTurn('cut short', { dropAfter: 3 }));
    const session = await connect(ctx.emulator, headers());
    const cut = await session.request(responsesBody());
    await session.closed;
    // The rate limits and the turn state come first, then three events of the turn.
    expect(cut.map(m => m.type)).toEqual([
      'codex.rate_limits',
      'response.metadata',
      'response.created',
      'response.in_progress',
      'response.output_item.added',
    ]);

    ctx.emulator.fault({ type: 'http', status: 500, body: { detail: 'boom' } });
    const again = await connect(ctx.emulator, headers());
    expect(await again.request(responsesBody())).toEqual([
      { type: 'error', status: 500, error: { type: 'invalid_request_error', message: 'boom' } },
    ]);
    again.close();
  });
});
