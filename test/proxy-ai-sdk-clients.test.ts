import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, type LanguageModel, Output, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { functionCallTurn, textTurn } from '../src/testing';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

// The AI SDK's own OpenAI providers, pointed at the proxy: an app that used them against OpenAI only
// changes its base URL.

let harness: ProxyOverEmulator;
beforeAll(async () => {
  // SSE upstream: the tests read the history the proxy forwards (item references resolved), which SSE sends
  // whole; over the WebSocket a later step carries only the new items (test/proxy-upstream-transport.test.ts).
  harness = await startProxyOverEmulator({ proxy: { codex: { transport: 'sse' } } });
});
afterAll(() => harness?.close());
beforeEach(() => harness.emulator.reset());

const backendRequests = () =>
  harness.emulator.requestsTo('responses').map(r => r.body as Record<string, unknown>);

const weatherTool = tool({
  description: 'Current weather of a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => `18°C and sunny in ${city}`,
});

const clients: Array<[string, () => LanguageModel]> = [
  [
    '@ai-sdk/openai (Responses API)',
    () => createOpenAI({ baseURL: harness.baseURL, apiKey: PROXY_API_KEY }).responses('gpt-5.5'),
  ],
  [
    '@ai-sdk/openai (Chat Completions)',
    () => createOpenAI({ baseURL: harness.baseURL, apiKey: PROXY_API_KEY }).chat('gpt-5.5'),
  ],
  [
    '@ai-sdk/openai-compatible',
    () =>
      createOpenAICompatible({
        name: 'codex-proxy',
        baseURL: harness.baseURL,
        apiKey: PROXY_API_KEY,
        includeUsage: true,
        // The proxy honours json_schema response formats, so the client may send them.
        supportsStructuredOutputs: true,
      }).chatModel('gpt-5.5'),
  ],
];

describe.each(clients)('%s against the proxy', (name, model) => {
  it('generates text with usage', async () => {
    harness.emulator.enqueue(
      textTurn('Hello from the proxy.', { usage: { inputTokens: 30, outputTokens: 6 } }),
    );
    const result = await generateText({ model: model(), prompt: 'Say hello.' });
    expect(result.text).toBe('Hello from the proxy.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBe(30);
    expect(result.usage.outputTokens).toBe(6);
  });

  it('runs a tool loop over two steps, streamed', async () => {
    harness.emulator.enqueue(
      functionCallTurn(
        { name: 'weather', arguments: { city: 'Oslo' } },
        { reasoning: 'Check the weather first.' },
      ),
      textTurn('It is 18°C and sunny in Oslo.'),
    );

    const result = streamText({
      model: model(),
      system: 'You are a weather bot.',
      prompt: 'Weather in Oslo?',
      tools: { weather: weatherTool },
      stopWhen: stepCountIs(3),
    });
    expect(await result.text).toBe('It is 18°C and sunny in Oslo.');
    const steps = await result.steps;
    expect(steps).toHaveLength(2);
    expect(steps[0]?.toolCalls[0]).toMatchObject({ toolName: 'weather', input: { city: 'Oslo' } });

    const second = backendRequests()[1];
    expect(JSON.stringify(second?.input)).toContain('18°C and sunny in Oslo');
    expect(second?.input).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'function_call', name: 'weather' })]),
    );
    if (name.includes('Responses')) {
      // With its default store:true the client refers to the earlier reasoning by id; the proxy sends the item.
      expect(harness.emulator.requestsTo('responses')[1]?.bodyText).not.toContain('item_reference');
      expect(second?.input).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'reasoning', encrypted_content: expect.any(String) }),
        ]),
      );
    }
  });

  it('produces structured output from a JSON schema', async () => {
    harness.emulator.enqueue(textTurn('{"city":"Rome","celsius":21}'));
    const result = await generateText({
      model: model(),
      prompt: 'Weather in Rome as JSON.',
      output: Output.object({ schema: z.object({ city: z.string(), celsius: z.number() }) }),
    });
    expect(result.output).toEqual({ city: 'Rome', celsius: 21 });
    expect(backendRequests()[0]?.text).toMatchObject({ format: { type: 'json_schema' } });
  });

  it('produces structured output from a z.discriminatedUnion, sent strict with anyOf instead of oneOf', async () => {
    harness.emulator.enqueue(textTurn('{"shape":{"kind":"square","side":3}}'));
    const drawing = z.object({
      shape: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('circle'), radius: z.number() }),
        z.object({ kind: z.literal('square'), side: z.number() }),
      ]),
    });
    // The emulator refuses a strict schema with oneOf, as the backend does.
    const result = await generateText({
      model: model(),
      prompt: 'Draw a shape.',
      output: Output.object({ schema: drawing }),
    });
    expect(result.output).toEqual({ shape: { kind: 'square', side: 3 } });
    const format = (backendRequests()[0]?.text as { format?: Record<string, unknown> } | undefined)?.format;
    expect(format).toMatchObject({ type: 'json_schema', strict: true });
    expect(JSON.stringify(format?.schema)).not.toContain('oneOf');
  });
});
