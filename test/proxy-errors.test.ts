import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failedTurn, messageItem, textTurn } from '../src/testing';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';
import { parseSse } from './support/sse';

let harness: ProxyOverEmulator;
let client: OpenAI;

beforeAll(async () => {
  harness = await startProxyOverEmulator();
  client = new OpenAI({ baseURL: harness.baseURL, apiKey: PROXY_API_KEY, maxRetries: 0 });
});
afterAll(() => harness?.close());
beforeEach(() => {
  harness.emulator.reset();
  harness.emulator.setRateLimits({ primary: { usedPercent: 12 } });
});

const post = (path: string, body: unknown) =>
  fetch(`${harness.baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_API_KEY}` },
    body: JSON.stringify(body),
  });

const chat = (extra: Record<string, unknown> = {}) => ({
  model: 'gpt-5.5',
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

describe('upstream errors', () => {
  it('turns an exhausted usage limit into a 429 with retry-after and the reset time, on both endpoints', async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 3600;
    harness.emulator.setRateLimits({ primary: { usedPercent: 100, resetAt } });

    for (const [path, body] of [
      ['/chat/completions', chat()],
      ['/responses', { model: 'gpt-5.5', input: 'hi', stream: true }],
    ] as const) {
      const response = await post(path, body);
      expect(response.status).toBe(429);
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(3500);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(response.headers.get('x-codex-primary-used-percent')).toBe('100');
      expect(await response.json()).toEqual({
        error: {
          message: expect.stringContaining(new Date(resetAt * 1000).toISOString()),
          type: 'usage_limit_reached',
          param: null,
          code: 'usage_limit_reached',
          resets_at: resetAt,
          plan_type: 'plus',
        },
      });
    }

    const error = await client.chat.completions.create(chat() as never).catch(e => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('passes the backend’s refusal of an unknown model on as a 400 with its message', async () => {
    const response = await post('/chat/completions', chat({ model: 'gpt-unknown' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        type: 'invalid_request_error',
        message: expect.stringContaining("'gpt-unknown' model is not supported"),
      },
    });
  });

  it('answers a response that fails before any output with the failure’s status, not a 200', async () => {
    const contextError = {
      code: 'context_length_exceeded',
      message: 'Your input exceeds the context window of this model.',
    };
    harness.emulator.enqueue(failedTurn(contextError), failedTurn(contextError), failedTurn(contextError));

    const streamed = await post('/chat/completions', chat({ stream: true }));
    const folded = await post('/chat/completions', chat());
    const response = await post('/responses', { model: 'gpt-5.5', input: 'hi' });
    for (const answer of [streamed, folded, response]) {
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({
        error: { code: 'context_length_exceeded', message: contextError.message },
      });
    }
  });

  it('ends a chat stream that fails after output with an error event, which the SDK raises', async () => {
    harness.emulator.enqueue(
      failedTurn(
        { code: 'server_is_overloaded', message: 'Overloaded, try later.' },
        { output: [messageItem('Partial')] },
      ),
    );
    const received: string[] = [];
    const error = await (async () => {
      const stream = await client.chat.completions.create({
        ...chat(),
        stream: true,
      } as OpenAI.ChatCompletionCreateParamsStreaming);
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch(e => e);

    expect(received.join('')).toBe('Partial');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.message).toContain('Overloaded, try later.');
  });

  it('streams a Responses failure through as the backend sent it', async () => {
    harness.emulator.enqueue(failedTurn({ code: 'rate_limit_exceeded', message: 'Try again in 2s.' }));
    const response = await post('/responses', { model: 'gpt-5.5', input: 'hi', stream: true });
    expect(response.status).toBe(200);
    const events = parseSse(await response.text()).map(event => JSON.parse(event.data));
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'rate_limit_exceeded' } },
    });
  });
});

describe('wire format', () => {
  it('streams chat chunks as data-only SSE ending with [DONE], with the rate-limit headers passed through', async () => {
    harness.emulator.enqueue(textTurn('Hi there.'));
    const response = await post('/chat/completions', chat({ stream: true }));

    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-codex-primary-used-percent')).toBe('12');
    expect(response.headers.get('x-codex-primary-window-minutes')).toBe('300');
    const events = parseSse(await response.text());
    expect(events.every(event => event.event === undefined)).toBe(true);
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map(event => JSON.parse(event.data));
    expect(chunks.every(chunk => !('usage' in chunk))).toBe(true);
  });

  it.each(['sse', 'websocket'] as const)(
    'passes the rate-limit headers through on Responses and JSON answers too (%s upstream)',
    async transport => {
      const own = await startProxyOverEmulator({ proxy: { codex: { transport } } });
      try {
        own.emulator.enqueue(textTurn('One.'), textTurn('Two.'));
        const send = (path: string, body: unknown) =>
          fetch(`${own.baseURL}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_API_KEY}` },
            body: JSON.stringify(body),
          });
        const streamed = await send('/responses', { model: 'gpt-5.5', input: 'hi', stream: true });
        await streamed.text();
        const folded = await send('/chat/completions', chat());
        await folded.json();
        expect(own.emulator.requestsTo('responses').map(r => r.transport)).toEqual(
          transport === 'sse' ? ['http', 'http'] : ['websocket', 'websocket'],
        );
        for (const response of [streamed, folded]) {
          expect(response.headers.get('x-codex-secondary-used-percent')).not.toBeNull();
          // The request id is an HTTP answer's header: the backend's WebSocket messages carry none.
          if (transport === 'sse') expect(response.headers.get('x-request-id')).not.toBeNull();
        }
      } finally {
        await own.close();
      }
    },
  );

  it('answers unknown paths and malformed bodies in OpenAI’s error envelope', async () => {
    const unknown = await post('/embeddings', { model: 'x', input: 'y' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: { code: 'unknown_url', type: 'invalid_request_error' },
    });

    const malformed = await fetch(`${harness.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_API_KEY}` },
      body: '{"model":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { message: expect.stringContaining('not valid JSON') },
    });

    const invalid = await post('/chat/completions', { model: 'gpt-5.5', messages: [{ role: 'user' }] });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { param: 'messages[0].content' } });
  });
});
