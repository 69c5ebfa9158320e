import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServeCodexProxyOptions } from '../src/proxy';
import { functionCallTurn, textTurn } from '../src/testing';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

let harness: ProxyOverEmulator | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const tools = [
  {
    type: 'function' as const,
    function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  },
];

/**
 * Serves the proxy with these provider settings and runs, once the catalog is read (it says which models
 * prefer the WebSocket), a two-step tool loop over Chat Completions and one Responses request through it.
 */
async function runThroughProxy(codex: ServeCodexProxyOptions['codex']): Promise<ProxyOverEmulator> {
  harness = await startProxyOverEmulator({ proxy: { codex } });
  harness.emulator.enqueue(
    functionCallTurn({ name: 'weather', arguments: { city: 'Paris' }, callId: 'call_1' }),
    textTurn('Sunny in Paris.'),
    textTurn('Hello back.'),
  );
  const client = new OpenAI({ baseURL: harness.baseURL, apiKey: PROXY_API_KEY, maxRetries: 0 });
  await client.models.list();

  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
  const first = await client.chat.completions.create({ model: 'gpt-5.5', messages, tools });
  const call = first.choices[0]?.message.tool_calls?.[0];
  expect(call?.type === 'function' && call.function.name).toBe('weather');
  messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call!.id, content: 'sunny' });
  const second = await client.chat.completions.create({ model: 'gpt-5.5', messages, tools });
  expect(second.choices[0]?.message.content).toBe('Sunny in Paris.');

  const response = await client.responses.create({ model: 'gpt-5.5', input: 'Hello' });
  expect(response.output_text).toBe('Hello back.');
  return harness;
}

describe('the served proxy reaches the backend with the provider’s transport', () => {
  it('over the WebSocket by default, each later step of a conversation sent incrementally', async () => {
    const { emulator } = await runThroughProxy({});
    const turns = emulator.requestsTo('responses');
    expect(turns.map(turn => [turn.transport, turn.websocket?.incremental])).toEqual([
      ['websocket', false],
      ['websocket', true],
      ['websocket', false],
    ]);
    expect((turns[1]!.body as { input: unknown[] }).input).toEqual([
      expect.objectContaining({ type: 'function_call_output', call_id: 'call_1', output: 'sunny' }),
    ]);
  });

  it('over SSE when the settings ask for it or give a fetch of their own', async () => {
    for (const codex of [{ transport: 'sse' as const }, { fetch: globalThis.fetch }]) {
      const { emulator } = await runThroughProxy(codex);
      expect(emulator.requestsTo('responses').map(turn => turn.transport)).toEqual(['http', 'http', 'http']);
      await harness?.close();
      harness = undefined;
    }
  });
});
