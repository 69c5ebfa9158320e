import { generateText, stepCountIs, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import {
  customToolCallItem,
  functionCallItem,
  functionCallTurn,
  messageItem,
  reasoningItem,
  textTurn,
  turn,
} from '../src/testing';
import { useCodexProviderPerTest } from './support/codex-provider-setup';
import { runTwoTurnsWithTurnState } from './support/turn-state-loop';

const startProvider = useCodexProviderPerTest();
// SSE: these tests read what each step replays of the history, which SSE sends whole, and the headers of each
// POST (turn state, Lite). Over the WebSocket a later step sends only the new items and Lite travels in the
// message; test/websocket-transport.test.ts checks that a tool loop gives the same results there.
const setup = () => startProvider({ provider: { transport: 'sse' } });

const weather = tool({
  description: 'Current weather of a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, temperatureC: 21 }),
});

/** Every `id` key anywhere in a value: the backend would try to look those up (store is false). */
function itemIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(itemIds);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => (key === 'id' ? [String(child)] : itemIds(child)));
}

describe('multi-step tool loop', () => {
  it('replays reasoning and the tool call/result pair in the next request, client ids only on the items the client made', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(
      turn([
        reasoningItem(['I need the weather.', 'Calling the tool.'], { encryptedContent: 'enc-step-1' }),
        functionCallItem('weather', { city: 'Paris' }, { callId: 'call_weather_1' }),
      ]),
      textTurn('It is 21 °C in Paris.'),
    );

    const result = streamText({
      model: codex('gpt-5.5'),
      system: 'Use tools when useful.',
      prompt: 'Weather in Paris?',
      tools: { weather },
      stopWhen: stepCountIs(3),
    });

    expect(await result.text).toBe('It is 21 °C in Paris.');
    expect((await result.steps).map(step => step.finishReason)).toEqual(['tool-calls', 'stop']);

    const [first, second] = responseBodies();
    expect(first?.tools).toEqual([
      {
        type: 'function',
        name: 'weather',
        description: 'Current weather of a city',
        parameters: expect.objectContaining({ type: 'object', required: ['city'] }),
        strict: false,
      },
    ]);
    expect(second?.input).toEqual([
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'developer',
        content: [{ type: 'input_text', text: 'Use tools when useful.' }],
      },
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'user',
        content: [{ type: 'input_text', text: 'Weather in Paris?' }],
      },
      {
        type: 'reasoning',
        summary: [
          { type: 'summary_text', text: 'I need the weather.' },
          { type: 'summary_text', text: 'Calling the tool.' },
        ],
        encrypted_content: 'enc-step-1',
      },
      { type: 'function_call', call_id: 'call_weather_1', name: 'weather', arguments: '{"city":"Paris"}' },
      {
        type: 'function_call_output',
        id: expect.stringMatching(/^fco_/),
        call_id: 'call_weather_1',
        output: '{"city":"Paris","temperatureC":21}',
      },
    ]);
    // The messages keep the ids they had in the first request, so the cached prefix is unchanged.
    expect(itemIds(second?.input)).toHaveLength(3);
    expect(itemIds(second?.input).slice(0, 2)).toEqual(itemIds(first?.input));

    // One conversation, one prompt cache key and session.
    expect(second?.prompt_cache_key).toBe(first?.prompt_cache_key);
    const sessions = emulator.requestsTo('responses').map(request => request.headers['session-id']);
    expect(sessions[1]).toBe(sessions[0]);
  });

  it('replays assistant text with its phase, and parallel tool calls, in generateText', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(
      turn([
        messageItem('Checking both cities.', { phase: 'commentary' }),
        functionCallItem('weather', { city: 'Paris' }, { callId: 'call_a' }),
        functionCallItem('weather', { city: 'Oslo' }, { callId: 'call_b' }),
      ]),
      textTurn('Paris 21 °C, Oslo 21 °C.', { phase: 'final_answer' }),
    );

    const result = await generateText({
      model: codex('gpt-5.5'),
      prompt: 'Weather in Paris and Oslo?',
      tools: { weather },
      stopWhen: stepCountIs(2),
    });

    expect(result.text).toBe('Paris 21 °C, Oslo 21 °C.');
    expect(responseBodies()[1]?.input).toEqual([
      expect.objectContaining({ role: 'user' }),
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Checking both cities.' }],
        phase: 'commentary',
      },
      { type: 'function_call', call_id: 'call_a', name: 'weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', call_id: 'call_b', name: 'weather', arguments: '{"city":"Oslo"}' },
      {
        type: 'function_call_output',
        id: expect.stringMatching(/^fco_/),
        call_id: 'call_a',
        output: '{"city":"Paris","temperatureC":21}',
      },
      {
        type: 'function_call_output',
        id: expect.stringMatching(/^fco_/),
        call_id: 'call_b',
        output: '{"city":"Oslo","temperatureC":21}',
      },
    ]);
  });

  it('runs a custom (freeform) tool and replays it as a custom tool call', async () => {
    const { codex, emulator, responseBodies } = await setup();
    const patch = '*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch';
    emulator.enqueue(
      turn([customToolCallItem('apply_patch', patch, { callId: 'call_patch' })]),
      textTurn('Created hello.txt.'),
    );
    const received: string[] = [];

    const result = await generateText({
      model: codex('gpt-5.5'),
      prompt: 'Create hello.txt',
      tools: {
        apply_patch: codex.tools.customTool({
          description: 'Apply a patch',
          execute: async input => {
            received.push(input);
            return 'Done.';
          },
        }),
      },
      stopWhen: stepCountIs(2),
    });

    expect(result.text).toBe('Created hello.txt.');
    expect(received).toEqual([patch]);
    expect(responseBodies()[1]?.input).toEqual([
      expect.objectContaining({ role: 'user' }),
      { type: 'custom_tool_call', call_id: 'call_patch', name: 'apply_patch', input: patch },
      {
        type: 'custom_tool_call_output',
        id: expect.stringMatching(/^ctco_/),
        call_id: 'call_patch',
        output: 'Done.',
      },
    ]);
  });

  it('echoes x-codex-turn-state within a turn, not into the next one', async () => {
    const { codex, emulator } = await setup();
    await runTwoTurnsWithTurnState(codex, emulator, weather);

    // The turn's first token on every later step, as the Codex CLI sends it (a later one is ignored).
    expect(emulator.requestsTo('responses').map(request => request.headers['x-codex-turn-state'])).toEqual([
      undefined,
      'turn-1',
      'turn-1',
      undefined,
    ]);
  });

  it('runs a Responses Lite tool loop on gpt-6.2-sol: a namespaced call reaches the AI SDK tool and the prefix stays cached', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(
      functionCallTurn({
        name: 'weather',
        namespace: 'functions',
        arguments: { city: 'Paris' },
        callId: 'call_lite',
      }),
      textTurn('21 °C in Paris.'),
    );

    const result = await generateText({
      model: codex('gpt-6.2-sol'),
      system: 'You answer weather questions.',
      prompt: 'Weather in Paris?',
      tools: { weather },
      stopWhen: stepCountIs(2),
    });

    expect(result.text).toBe('21 °C in Paris.');
    expect(result.steps[0]?.toolCalls).toEqual([
      expect.objectContaining({ toolName: 'weather', toolCallId: 'call_lite', input: { city: 'Paris' } }),
    ]);
    const requests = emulator.requestsTo('responses');
    expect(requests.map(request => request.headers['x-openai-internal-codex-responses-lite'])).toEqual([
      'true',
      'true',
    ]);
    const [first, second] = responseBodies() as Array<{ input: Array<Record<string, unknown>> }>;
    expect(second?.input.slice(3)).toEqual([
      {
        type: 'function_call',
        call_id: 'call_lite',
        name: 'weather',
        namespace: 'functions',
        arguments: '{"city":"Paris"}',
      },
      {
        type: 'function_call_output',
        id: expect.stringMatching(/^fco_/),
        call_id: 'call_lite',
        output: '{"city":"Paris","temperatureC":21}',
      },
    ]);
    // The second request starts with the first one's input, ids included: the whole prefix is cached.
    expect(second?.input.slice(0, 3)).toEqual(first?.input);
    const [firstStep, secondStep] = result.steps;
    expect(secondStep?.usage.inputTokenDetails.cacheReadTokens).toBeGreaterThanOrEqual(
      (firstStep?.usage.inputTokens ?? 0) - 1,
    );
  });

  it('forces a tool with toolChoice', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(turn([functionCallItem('weather', { city: 'Rome' })]));

    await generateText({
      model: codex('gpt-5.5'),
      prompt: 'Rome',
      tools: { weather },
      toolChoice: { type: 'tool', toolName: 'weather' },
    });

    expect(responseBodies()[0]?.tool_choice).toEqual({ type: 'function', name: 'weather' });
  });
});
