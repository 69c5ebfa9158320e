/**
 * The language model against a misbehaving network and backend, over real HTTP to the emulator: refused
 * connections, resets, stalls, slow drips, truncated and malformed streams, unknown and huge events, and
 * error bursts. Every fault must end in a clear error or a well-formed result, never a hang or a silent success.
 */
import { getEventListeners } from 'node:events';
import {
  APICallError,
  type LanguageModelV4CallOptions,
  type LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import { generateText, streamText } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { CodexUsageLimitError } from '../src/backend/codex-usage-limit-error';
import { createCodex } from '../src/codex-provider';
import {
  type CodexEmulator,
  dropConnection,
  expandTurn,
  functionCallItem,
  httpError,
  messageItem,
  sseFrame,
  stallConnection,
  startCodexEmulator,
  textTurn,
  turn,
} from '../src/testing';
import { streamParts } from './support/codex-provider-setup';
import { freePort } from './support/free-port';
import { type RequestCounter, startRequestCounter } from './support/request-counter';

/**
 * The idle timeout of the stall tests: short enough to keep the suite quick, long enough for a busy two-core
 * machine to answer a healthy request in time. The other tests keep a generous one, as they are not about it.
 */
const IDLE_TIMEOUT_MS = 500;
/** ai honours `retry-after-ms`, so retried HTTP errors need not wait for its 2 s backoff. */
const RETRY_NOW = { 'retry-after-ms': '0' };

const prompt: LanguageModelV4CallOptions['prompt'] = [
  { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
];

let emulator: CodexEmulator | undefined;
let connections: RequestCounter | undefined;
afterEach(async () => {
  await connections?.close();
  await emulator?.close();
  emulator = undefined;
  connections = undefined;
});

/** An emulator with a login, reached through a request counter, and a provider pointed at it. */
async function setup(streamIdleTimeoutMs = 30_000) {
  emulator = await startCodexEmulator();
  connections = await startRequestCounter(emulator.url);
  const login = await emulator.login();
  const codex = createCodex({
    baseURL: `${connections.url}/backend-api/codex`,
    auth: { accessToken: login.accessToken, accountId: login.accountId },
    streamIdleTimeoutMs,
    // These faults are of the HTTP stream, and the counter relays HTTP requests only (an upgrade through it
    // is never answered); the WebSocket's faults are in test/websocket-transport.test.ts.
    transport: 'sse',
  });
  return { emulator, connections, codex };
}

/** The events a turn expands to, as the emulator would send them for a plain request. */
function eventsOf(scripted: ReturnType<typeof turn>): Array<Record<string, unknown>> {
  return expandTurn(scripted, { request: { model: 'gpt-5.5' }, now: Math.floor(Date.now() / 1000) });
}

function textOf(parts: LanguageModelV4StreamPart[]): string {
  return parts.map(part => (part.type === 'text-delta' ? part.delta : '')).join('');
}

/** Reads a stream to its end, collecting parts, and returns the error it ended with (if any). */
async function readAll(stream: ReadableStream<LanguageModelV4StreamPart>) {
  const parts: LanguageModelV4StreamPart[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { parts, thrown: undefined };
      parts.push(value);
    }
  } catch (thrown) {
    return { parts, thrown };
  }
}

/** What a call that must fail threw (and `undefined` when it did not fail). */
// biome-ignore lint/suspicious/noExplicitAny: a test inspects the thrown value's fields
function failure(call: PromiseLike<unknown>): Promise<any> {
  return Promise.resolve(call).then(
    () => undefined,
    (error: unknown) => error,
  );
}

const isRetryableCallError = (error: unknown) => APICallError.isInstance(error) && error.isRetryable;

describe('connection faults', () => {
  it('a refused connection is a retryable APICallError that says it could not connect', async () => {
    const port = await freePort();
    const codex = createCodex({
      baseURL: `http://127.0.0.1:${port}/backend-api/codex`,
      auth: { accessToken: 'unused', accountId: 'acct' },
    });
    const error = await failure(codex('gpt-5.5').doGenerate({ prompt }));
    expect(isRetryableCallError(error)).toBe(true);
    expect(error.message).toMatch(/Cannot connect to API/);
  });

  it('a connection closed before any answer is retryable, and ai’s retry gets the answer', async () => {
    const { codex, emulator } = await setup();
    emulator.fault(dropConnection());
    const error = await failure(codex('gpt-5.5').doStream({ prompt }));
    expect(isRetryableCallError(error)).toBe(true);

    emulator.fault(dropConnection());
    emulator.enqueue(textTurn('After the reset.'));
    const result = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 1 });
    expect(result.text).toBe('After the reset.');
  });

  it('a reset mid-stream keeps the text so far, then fails retryably; generateText retries it', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(textTurn('one two three four five six seven', { dropAfter: 6 }));
    const { stream } = await codex('gpt-5.5').doStream({ prompt });
    const { parts, thrown } = await readAll(stream);
    expect(textOf(parts)).toBe('one two');
    expect(isRetryableCallError(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/connection to the Codex backend broke/);
    expect(parts.some(part => part.type === 'finish')).toBe(false);

    emulator.enqueue(textTurn('cut short', { dropAfter: 5 }), textTurn('Whole answer.'));
    const result = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 1 });
    expect(result.text).toBe('Whole answer.');
    expect(emulator.counters.requests.responses).toBe(3);
  });

  it('streamText reports a reset mid-stream as a failed stream, never as a finished answer', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(textTurn('one two three four five', { dropAfter: 5 }));
    const result = streamText({ model: codex('gpt-5.5'), prompt: 'Hi' });
    const types: string[] = [];
    const read = async () => {
      for await (const part of result.fullStream) types.push(part.type);
    };
    await expect(read()).rejects.toSatisfy(isRetryableCallError);
    expect(types).toContain('text-delta');
    expect(types).not.toContain('finish');
    await expect(result.finishReason).rejects.toSatisfy(isRetryableCallError);
  });
});

describe('stalls and the idle timeout', () => {
  it('a backend that never answers fails after the idle timeout with a retryable error, and the request is closed', async () => {
    const { codex, emulator, connections } = await setup(IDLE_TIMEOUT_MS);
    emulator.fault(stallConnection());
    const error = await failure(codex('gpt-5.5').doStream({ prompt }));
    expect(isRetryableCallError(error)).toBe(true);
    expect(error.message).toMatch(/sent nothing for 500 ms \(idle timeout/);
    // The request was aborted: no connection is left waiting on the backend.
    expect(connections.total).toBe(1);
    await expect.poll(() => connections.inFlight).toBe(0);
  });

  it('headers followed by silence fail the same way', async () => {
    const { codex, emulator, connections } = await setup(IDLE_TIMEOUT_MS);
    emulator.enqueue(textTurn('never sent', { stallAfter: 0 }));
    await expect(codex('gpt-5.5').doStream({ prompt })).rejects.toSatisfy(isRetryableCallError);
    await expect.poll(() => connections.inFlight).toBe(0);
  });

  it('a stream that stalls mid-answer ends with a retryable error after the text so far, and the connection is closed', async () => {
    const { codex, emulator, connections } = await setup(IDLE_TIMEOUT_MS);
    emulator.enqueue(textTurn('one two three four five six', { stallAfter: 6 }));
    const { stream } = await codex('gpt-5.5').doStream({ prompt });
    const { parts, thrown } = await readAll(stream);
    expect(textOf(parts)).toBe('one two');
    expect(isRetryableCallError(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/idle timeout/);
    await expect.poll(() => connections.inFlight).toBe(0);
  });

  it('generateText retries a stalled request and gets the answer', async () => {
    const { codex, emulator } = await setup(IDLE_TIMEOUT_MS);
    emulator.enqueue(stallConnection(), textTurn('Patience pays.'));
    const result = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 1 });
    expect(result.text).toBe('Patience pays.');
    expect(emulator.counters.requests.responses).toBe(2);
  });

  it('a slow drip, each event inside the idle timeout, is read to the end', async () => {
    const { codex, emulator } = await setup(IDLE_TIMEOUT_MS);
    const text = 'a b c d e f g h';
    // Every pause is well inside the timeout; together they last several timeouts.
    emulator.enqueue(textTurn(text, { delayMs: IDLE_TIMEOUT_MS / 5 }));
    const started = Date.now();
    const result = await codex('gpt-5.5').doGenerate({ prompt });
    expect(result.content).toMatchObject([{ type: 'text', text }]);
    expect(result.finishReason.unified).toBe('stop');
    expect(Date.now() - started).toBeGreaterThan(IDLE_TIMEOUT_MS);
  });

  it('a slow reader never trips the idle timeout', async () => {
    const { codex, emulator } = await setup(IDLE_TIMEOUT_MS);
    emulator.enqueue(textTurn('one two three'));
    const { stream } = await codex('gpt-5.5').doStream({ prompt });
    const reader = stream.getReader();
    const parts: LanguageModelV4StreamPart[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      if (value.type === 'text-delta')
        await new Promise(resolve => setTimeout(resolve, IDLE_TIMEOUT_MS * 1.5));
    }
    expect(textOf(parts)).toBe('one two three');
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop' } });
  });

  it('a caller’s abort signal reused for many requests, some failing, is left with no listener', async () => {
    const { codex, emulator } = await setup(IDLE_TIMEOUT_MS);
    const shared = new AbortController();
    emulator.enqueue(httpError(500, { detail: 'boom' }), textTurn('cut', { dropAfter: 3 }));
    for (let round = 0; round < 12; round++) {
      await failure(codex('gpt-5.5').doGenerate({ prompt, abortSignal: shared.signal }));
      await generateText({
        model: codex('gpt-5.5'),
        prompt: 'Hi',
        abortSignal: shared.signal,
        maxRetries: 0,
      }).catch(() => {});
    }
    // Each listener left behind would keep a finished request alive and warn after ten.
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });

  it('the default idle timeout is the Codex CLI’s 300 s, and a bad setting is refused up front', () => {
    expect(() => createCodex({ streamIdleTimeoutMs: 0 })).toThrow(
      /streamIdleTimeoutMs must be a positive number/,
    );
    expect(() => createCodex({ streamIdleTimeoutMs: -5 })).toThrow(/default 300000/);
  });
});

describe('broken streams', () => {
  it('a stream that ends cleanly before response.completed finishes as interrupted, never as stop', async () => {
    const { codex, emulator } = await setup();
    const events = eventsOf(textTurn('partial answer here'));
    const cut = events.findIndex(event => event.type === 'response.output_text.done');
    emulator.enqueue({ type: 'events', events: events.slice(0, cut) });

    const { stream } = await codex('gpt-5.5').doStream({ prompt });
    const parts = await streamParts(stream);
    expect(textOf(parts)).toBe('partial answer here');
    expect(parts.filter(part => part.type === 'finish')).toEqual([
      expect.objectContaining({ finishReason: { unified: 'interrupted', raw: undefined } }),
    ]);

    emulator.enqueue({ type: 'events', events: events.slice(0, cut) });
    const result = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 0 });
    expect(result.finishReason).not.toBe('stop');
  });

  it('a stream cut in the middle of an event frame drops the half frame and finishes as interrupted', async () => {
    const { codex, emulator } = await setup();
    const frames = eventsOf(textTurn('alpha beta')).map(sseFrame);
    const last = frames.pop()!;
    emulator.enqueue({ type: 'sse', chunks: [...frames, last.slice(0, Math.floor(last.length / 2))] });
    const parts = await streamParts((await codex('gpt-5.5').doStream({ prompt })).stream);
    expect(textOf(parts)).toBe('alpha beta');
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'interrupted' } });
    expect(parts.filter(part => part.type === 'finish')).toHaveLength(1);
  });

  it('malformed event JSON becomes an error part after the text so far, with one finish', async () => {
    const { codex, emulator } = await setup();
    const frames = eventsOf(textTurn('before garbage')).map(sseFrame);
    const done = frames.findIndex(frame => frame.includes('response.output_text.done'));
    frames.splice(
      done,
      0,
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":\n\n',
    );
    emulator.enqueue({ type: 'sse', chunks: frames });

    const parts = await streamParts((await codex('gpt-5.5').doStream({ prompt })).stream);
    expect(textOf(parts)).toBe('before garbage');
    expect(parts.filter(part => part.type === 'error')).toHaveLength(1);
    expect(parts.filter(part => part.type === 'finish')).toEqual([
      expect.objectContaining({ finishReason: expect.objectContaining({ unified: 'error' }) }),
    ]);

    emulator.enqueue({ type: 'sse', chunks: frames });
    await expect(codex('gpt-5.5').doGenerate({ prompt })).rejects.toThrow(/JSON/);
  });

  it('unknown event types and item kinds are ignored', async () => {
    const { codex, emulator } = await setup();
    const events = eventsOf(textTurn('still fine'));
    const unknown = [
      { type: 'response.brand_new_feature.delta', delta: 'x', output_index: 0 },
      { type: 'codex.rate_limits', rate_limits: { allowed: true } },
      {
        type: 'response.output_item.added',
        output_index: 5,
        item: { type: 'compaction_summary', id: 'cs_1' },
      },
      {
        type: 'response.output_item.done',
        output_index: 5,
        item: { type: 'compaction_summary', id: 'cs_1' },
      },
      { type: 'keepalive' },
    ];
    events.splice(3, 0, ...unknown);
    emulator.enqueue({ type: 'events', events });
    const result = await codex('gpt-5.5').doGenerate({ prompt });
    expect(result.content).toMatchObject([{ type: 'text', text: 'still fine' }]);
    expect(result.finishReason.unified).toBe('stop');
  });

  it('very large events (a 4 MB text delta, 2 MB of tool arguments in one delta) arrive intact', async () => {
    const { codex, emulator } = await setup();
    const big = 'x'.repeat(4 * 1024 * 1024);
    const payload = { blob: 'y'.repeat(2 * 1024 * 1024) };
    emulator.enqueue(
      turn([messageItem(big, { chunks: [big] })]),
      turn([functionCallItem('save', payload, { chunks: [JSON.stringify(payload)] })]),
    );
    const text = await codex('gpt-5.5').doGenerate({ prompt });
    expect(text.content).toHaveLength(1);
    expect(text.content[0]?.type === 'text' && text.content[0].text === big).toBe(true);

    const call = await codex('gpt-5.5').doGenerate({
      prompt,
      tools: [{ type: 'function', name: 'save', inputSchema: { type: 'object' } }],
    });
    const toolCall = call.content.find(part => part.type === 'tool-call');
    expect(toolCall?.type === 'tool-call' && JSON.parse(toolCall.input)).toEqual(payload);
  });
});

describe('HTTP error bursts', () => {
  it('a burst of 5xx answers is retried by ai until the backend recovers', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(
      httpError(500, { detail: 'boom' }, RETRY_NOW),
      httpError(502, '<html>Bad gateway</html>', RETRY_NOW),
      httpError(503, { error: { message: 'overloaded', type: 'server_error' } }, RETRY_NOW),
      httpError(504, '', RETRY_NOW),
      textTurn('Recovered.'),
    );
    const result = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 4 });
    expect(result.text).toBe('Recovered.');
    expect(emulator.counters.requests.responses).toBe(5);
  });

  it('a burst longer than the retries ends in ai’s RetryError carrying every attempt', async () => {
    const { codex, emulator } = await setup();
    emulator.fault(httpError(503, { detail: 'still down' }, RETRY_NOW), { times: 10 });
    const error = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 2 }).catch(e => e);
    expect(error.name).toBe('AI_RetryError');
    expect(error.errors).toHaveLength(3);
    expect(error.lastError).toMatchObject({ statusCode: 503, message: 'still down' });
    expect(emulator.counters.requests.responses).toBe(3);
  });

  it('a 429 usage limit is a CodexUsageLimitError that ai does not retry', async () => {
    const { codex, emulator } = await setup();
    const resetsAt = Math.floor(Date.now() / 1000) + 600;
    emulator.fault(
      httpError(
        429,
        {
          error: {
            type: 'usage_limit_reached',
            message: 'The usage limit has been reached',
            plan_type: 'pro',
            resets_at: resetsAt,
          },
        },
        RETRY_NOW,
      ),
    );
    const error = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 3 }).catch(e => e);
    expect(CodexUsageLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      statusCode: 429,
      isRetryable: false,
      planType: 'pro',
      resetsAt: new Date(resetsAt * 1000),
    });
    expect(emulator.counters.requests.responses).toBe(1);
  });

  it.each([
    [
      'a JSON rate-limit body',
      { error: { type: 'rate_limit_exceeded', message: 'Slow down.' } },
      'Slow down.',
    ],
    ['an empty body', '', /Too Many Requests/],
    ['an HTML body', '<html><body>Too Many Requests</body></html>', /429|Too Many Requests/],
  ])('a 429 with %s is retryable and ai’s retry succeeds', async (_label, body, message) => {
    const { codex, emulator } = await setup();
    emulator.enqueue(httpError(429, body, RETRY_NOW), textTurn('Allowed again.'));
    const error = await failure(codex('gpt-5.5').doGenerate({ prompt }));
    expect(APICallError.isInstance(error) && !CodexUsageLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 429, isRetryable: true });
    expect(error.message).toMatch(message);

    emulator.enqueue(httpError(429, body, RETRY_NOW), textTurn('Allowed again.'));
    const result = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 1 });
    expect(result.text).toBe('Allowed again.');
  });
});
