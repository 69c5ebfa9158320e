/**
 * The proxy in front of a misbehaving backend, driven by the official openai client and plain fetch: stalls
 * before the headers and mid-stream (the idle timeout ends them), resets mid-stream, and 5xx bursts the
 * client's own retries ride out. Every fault ends the client's request with an OpenAI error, and the upstream
 * request is closed.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { httpError, stallConnection, textTurn } from '../src/testing';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

const IDLE_TIMEOUT_MS = 500;

let running: ProxyOverEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function setup() {
  running = await startProxyOverEmulator({
    countRequests: true,
    proxy: { codex: { streamIdleTimeoutMs: IDLE_TIMEOUT_MS } },
  });
  const { emulator, proxy, baseURL } = running;
  const relay = running.relay!;
  const client = new OpenAI({ baseURL, apiKey: PROXY_API_KEY, maxRetries: 0 });
  const post = (path: string, body: unknown) =>
    fetch(`${baseURL}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROXY_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { emulator, proxy, relay, client, post };
}

const chat = { model: 'gpt-5.5', messages: [{ role: 'user' as const, content: 'Hi' }] };

/** Reads a chat stream with the openai client: the text received, and the error it ended with. */
async function readChatStream(client: OpenAI) {
  let text = '';
  try {
    const stream = await client.chat.completions.create({ ...chat, stream: true });
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    return { text, error: undefined };
  } catch (error) {
    return { text, error };
  }
}

describe('stalls', () => {
  it('a backend that never answers: the client gets a 502 OpenAI error after the idle timeout, on both endpoints', async () => {
    const { emulator, relay, client, post } = await setup();
    emulator.fault(stallConnection(), { times: 2 });
    const error = await client.chat.completions.create(chat).catch(caught => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/idle timeout/);

    const response = await post('/responses', { model: 'gpt-5.5', input: 'hi', stream: true });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      error: { message: expect.stringMatching(/idle timeout/) },
    });
    await expect.poll(() => relay.inFlight).toBe(0);
  });

  it('a chat stream that stalls mid-answer ends with an error the client raises, after the text so far', async () => {
    const { emulator, relay, client } = await setup();
    emulator.enqueue(textTurn('one two three four five six', { stallAfter: 6 }));
    const { text, error } = await readChatStream(client);
    expect(text).toBe('one two');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/idle timeout/);
    await expect.poll(() => relay.inFlight).toBe(0);
  });

  it('a Responses stream that stalls mid-answer ends with an error event', async () => {
    const { emulator, relay, post } = await setup();
    emulator.enqueue(textTurn('one two three four five six', { stallAfter: 6 }));
    const response = await post('/responses', { model: 'gpt-5.5', input: 'hi', stream: true });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('response.output_text.delta');
    expect(body.trimEnd().split('\n\n').at(-1)).toMatch(/^event: error\ndata: .*idle timeout/s);
    await expect.poll(() => relay.inFlight).toBe(0);
  });
});

describe('resets and bursts', () => {
  it('a reset mid-stream ends the chat stream with an error, not a clean finish', async () => {
    const { emulator, client } = await setup();
    emulator.enqueue(textTurn('one two three four five six', { dropAfter: 6 }));
    const { text, error } = await readChatStream(client);
    expect(text).toBe('one two');
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });

  it('a burst of 5xx answers is passed on with its status, and the openai client’s retries ride it out', async () => {
    const { emulator, proxy } = await setup();
    emulator.enqueue(
      httpError(503, { detail: 'busy' }, { 'retry-after-ms': '0' }),
      httpError(502, { detail: 'bad gateway' }, { 'retry-after-ms': '0' }),
      textTurn('Through the burst.'),
    );
    const retrying = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: PROXY_API_KEY, maxRetries: 2 });
    const completion = await retrying.chat.completions.create(chat);
    expect(completion.choices[0]?.message.content).toBe('Through the burst.');
    expect(emulator.counters.requests.responses).toBe(3);
  });
});
