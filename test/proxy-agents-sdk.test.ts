import { Agent, OpenAIProvider, Runner, tool } from '@openai/agents';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { functionCallTurn, textTurn } from '../src/testing';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

type Json = Record<string, unknown>;

// The OpenAI Agents SDK with its Responses WebSocket transport, pointed at the proxy as at api.openai.com.
describe('the OpenAI Agents SDK over the proxy’s /v1/responses WebSocket', () => {
  let harness: ProxyOverEmulator;
  let provider: OpenAIProvider | undefined;

  afterEach(async () => {
    await provider?.close();
    await harness.close();
  });

  it('runs an agent’s tool loop, the backend getting only the new items after the first request', async () => {
    harness = await startProxyOverEmulator({ proxy: { verbose: true } });
    harness.emulator.enqueue(
      functionCallTurn({ name: 'weather', arguments: { city: 'Paris' }, callId: 'call_agents' }),
      textTurn('It is sunny in Paris.'),
    );
    provider = new OpenAIProvider({
      apiKey: PROXY_API_KEY,
      baseURL: harness.baseURL,
      useResponses: true,
      useResponsesWebSocket: true,
    });
    const cities: string[] = [];
    const agent = new Agent({
      name: 'Weather',
      instructions: 'Answer with the weather tool.',
      model: 'gpt-5.5',
      tools: [
        tool({
          name: 'weather',
          description: 'The weather in a city',
          parameters: z.object({ city: z.string() }),
          execute: async ({ city }) => {
            cities.push(city);
            return `sunny in ${city}`;
          },
        }),
      ],
    });

    const result = await new Runner({ modelProvider: provider, tracingDisabled: true }).run(
      agent,
      'What is the weather in Paris?',
    );

    expect(result.finalOutput).toBe('It is sunny in Paris.');
    expect(cities).toEqual(['Paris']);
    // The SDK upgraded to the proxy's WebSocket (and sent no POST).
    expect(harness.logLines.some(line => /^← GET \/v1\/responses 101\b/.test(line))).toBe(true);
    expect(harness.logLines.some(line => line.includes('POST /v1/responses'))).toBe(false);
    // The SDK sends the whole conversation each time; upstream the second request carries only the output.
    const turns = harness.emulator.requestsTo('responses');
    expect(turns.map(turn => [turn.transport, turn.websocket?.incremental])).toEqual([
      ['websocket', false],
      ['websocket', true],
    ]);
    expect((turns[1]!.body as { input: Json[] }).input).toEqual([
      expect.objectContaining({
        type: 'function_call_output',
        call_id: 'call_agents',
        output: 'sunny in Paris',
      }),
    ]);
    expect(turns[0]?.headers.authorization).toBe(`Bearer ${harness.login.accessToken}`);
  });
});
