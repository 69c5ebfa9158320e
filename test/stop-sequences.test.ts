import { generateText, streamText } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCodex } from '../src/codex-provider';
import { messageItem, turn } from '../src/testing';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

// Stop sequences end the answer before the stop string, over real HTTP: the `openai` client through the proxy,
// and `ai`'s generateText/streamText on the provider. The emulator's deltas split the stop string, and the
// turn stalls after it, so only a cancelled upstream request lets the relay count it closed.

const REACT_ANSWER = [
  'Thought: I should look up the weather.',
  '\nAction: weather',
  '\nObser',
  'vation',
  ': sunny',
  '\nThought: done',
];
const BEFORE_STOP = 'Thought: I should look up the weather.\nAction: weather';
/** `response.created`, `.in_progress`, `output_item.added`, `content_part.added`, then the deltas to the stop. */
const STALL_AFTER_STOP = 4 + 5;

const reactTurn = () =>
  turn([messageItem(REACT_ANSWER.join(''), { chunks: REACT_ANSWER })], { stallAfter: STALL_AFTER_STOP });

let harness: ProxyOverEmulator;
let client: OpenAI;

beforeAll(async () => {
  harness = await startProxyOverEmulator({ countRequests: true });
  client = new OpenAI({ baseURL: harness.baseURL, apiKey: PROXY_API_KEY, maxRetries: 0 });
});
afterAll(() => harness?.close());
beforeEach(() => harness.emulator.reset());

const relay = () => harness.relay!;

describe('stop through the proxy (chat completions, openai client)', () => {
  it('streams the text up to a stop string split across deltas, finishes with stop and cancels upstream', async () => {
    harness.emulator.enqueue(reactTurn());

    const stream = await client.chat.completions.create({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'Weather?' }],
      stop: ['\nObservation:', 'Final Answer:'],
      stream: true,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.map(chunk => chunk.choices[0]?.delta.content ?? '').join('')).toBe(BEFORE_STOP);
    expect(
      chunks.flatMap(chunk => chunk.choices.map(choice => choice.finish_reason)).filter(Boolean),
    ).toEqual(['stop']);
    await expect.poll(() => relay().inFlight).toBe(0);
    // The backend is never sent `stop`: it refuses it.
    expect(harness.emulator.requestsTo('responses')[0]?.body).not.toHaveProperty('stop');
  });

  it('answers a non-streaming request with the text before a single stop string', async () => {
    harness.emulator.enqueue(reactTurn());
    const completion = await client.chat.completions.create({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'Weather?' }],
      stop: '\nObservation:',
    });
    expect(completion.choices[0]).toMatchObject({
      message: { content: BEFORE_STOP },
      finish_reason: 'stop',
    });
    await expect.poll(() => relay().inFlight).toBe(0);
  });

  it('refuses more than 4 stop sequences, as OpenAI does', async () => {
    const error = await client.chat.completions
      .create({
        model: 'gpt-5.5',
        messages: [{ role: 'user', content: 'x' }],
        stop: ['a', 'b', 'c', 'd', 'e'],
      })
      .catch(caught => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.error).toMatchObject({ param: 'stop' });
  });
});

describe('stopSequences on the provider (ai@7)', () => {
  const codex = () =>
    createCodex({
      baseURL: `${relay().url}/backend-api/codex`,
      auth: { accessToken: harness.login.accessToken, accountId: harness.login.accountId },
      // The relay counts the HTTP requests left open and passes no upgrade: the WebSocket test is below.
      transport: 'sse',
    });

  it('generateText ends before the stop sequence, with finish reason stop and no warning', async () => {
    harness.emulator.enqueue(reactTurn());
    const result = await generateText({
      model: codex()('gpt-5.5'),
      prompt: 'Weather?',
      stopSequences: ['\nObservation:'],
    });
    expect(result.text).toBe(BEFORE_STOP);
    expect(result.finishReason).toBe('stop');
    expect(result.warnings).toEqual([]);
    await expect.poll(() => relay().inFlight).toBe(0);
  });

  it('streamText streams up to the stop sequence and cancels the backend request', async () => {
    harness.emulator.enqueue(reactTurn());
    const result = streamText({
      model: codex()('gpt-5.5'),
      prompt: 'Weather?',
      stopSequences: ['Final Answer:', '\nObservation:'],
    });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe(BEFORE_STOP);
    expect(await result.finishReason).toBe('stop');
    await expect.poll(() => relay().inFlight).toBe(0);
  });

  it('streamText over the WebSocket transport stops the same way', async () => {
    harness.emulator.enqueue(reactTurn());
    const codexOverWebSocket = createCodex({
      baseURL: harness.emulator.baseURL,
      auth: { accessToken: harness.login.accessToken, accountId: harness.login.accountId },
      transport: 'websocket',
    });
    const result = streamText({
      model: codexOverWebSocket('gpt-5.5'),
      prompt: 'Weather?',
      stopSequences: ['\nObservation:'],
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe(BEFORE_STOP);
    expect(await result.finishReason).toBe('stop');
    expect(harness.emulator.requestsTo('responses').map(request => request.transport)).toEqual(['websocket']);
  });
});
