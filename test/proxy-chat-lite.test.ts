import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { functionCallTurn, textTurn } from '../src/testing';
import { liteFlagOf } from './support/emulator-requests';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

// Chat Completions clients reach Lite models through the Codex language model, so they get the request
// shape the Codex CLI sends for that model, and namespaced tool calls come back under the tool's own name.

let harness: ProxyOverEmulator;
let client: OpenAI;

beforeAll(async () => {
  harness = await startProxyOverEmulator();
  client = new OpenAI({ baseURL: harness.baseURL, apiKey: PROXY_API_KEY, maxRetries: 0 });
});
afterAll(() => harness?.close());
beforeEach(() => harness.emulator.reset());

const tools: OpenAI.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather of a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
        additionalProperties: false,
      },
    },
  },
];

describe('chat.completions with a Responses Lite model', () => {
  it('sends gpt-6.2-sol the Lite shape and completes a tool turn', async () => {
    harness.emulator.enqueue(
      functionCallTurn({
        name: 'get_weather',
        arguments: { city: 'Paris' },
        callId: 'call_weather_lite',
        namespace: 'functions',
      }),
      textTurn('It is 18°C in Paris.'),
    );
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
    ];

    const first = await client.chat.completions.create({ model: 'gpt-6.2-sol', messages, tools });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({
      id: 'call_weather_lite',
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
    });

    const second = await client.chat.completions.create({
      model: 'gpt-6.2-sol',
      tools,
      messages: [
        ...messages,
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: 'call_weather_lite', content: '{"celsius":18}' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe('It is 18°C in Paris.');

    const upstream = harness.emulator.requestsTo('responses');
    expect(upstream).toHaveLength(2);
    for (const request of upstream) {
      expect(liteFlagOf(request)).toBe('true');
      const body = request.body as { tools?: unknown; input: Array<Record<string, unknown>> };
      expect(body.tools).toBeUndefined();
      // Over the WebSocket a request that continues the previous response sends only the new items.
      if (!request.websocket?.incremental) expect(body.input[0]).toMatchObject({ type: 'additional_tools' });
    }
    expect((upstream[1]!.body as { input: unknown[] }).input).toContainEqual(
      expect.objectContaining({ type: 'function_call_output', call_id: 'call_weather_lite' }),
    );
  });
});
