import { generateText, jsonSchema, Output, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { defaultModelsCatalog } from '../src/testing';
import { useCodexProviderPerTest } from './support/codex-provider-setup';

// The emulator's unscripted answers follow the request, over real HTTP through ai@7 and the provider.

const setup = useCodexProviderPerTest();

const tools = {
  weather: tool({ inputSchema: z.object({ city: z.string(), days: z.int().min(1).max(7) }) }),
  time: tool({ inputSchema: z.object({ zone: z.enum(['UTC', 'CET']) }) }),
};

describe('default answers of the emulator', () => {
  it('calls a tool when toolChoice is required, and the named tool when one is named', async () => {
    const { codex } = await setup();

    const required = await generateText({
      model: codex('gpt-5.5'),
      prompt: 'Weather in Paris?',
      tools,
      toolChoice: 'required',
    });
    expect(required.finishReason).toBe('tool-calls');
    expect(required.toolCalls).toEqual([
      expect.objectContaining({ toolName: 'weather', input: { city: 'example', days: 1 } }),
    ]);

    const named = await generateText({
      model: codex('gpt-5.5'),
      prompt: 'What time is it?',
      tools,
      toolChoice: { type: 'tool', toolName: 'time' },
    });
    expect(named.toolCalls).toEqual([expect.objectContaining({ toolName: 'time', input: { zone: 'UTC' } })]);

    const auto = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', tools });
    expect(auto.toolCalls).toEqual([]);
    expect(auto.text).toContain('Hello from the Codex emulator.');
  });

  it('answers structured output with an object the schema accepts', async () => {
    const { codex } = await setup();
    const event = z.object({
      title: z.string().min(3).max(5),
      code: z.string().regex(/^[A-Z]{3}-\d{2}$/),
      seats: z.int().gt(10),
      price: z.number().multipleOf(0.5).min(3),
      tags: z.array(z.string()).min(2),
    });
    const { output } = await generateText({
      model: codex('gpt-5.5'),
      prompt: 'An event.',
      output: Output.object({ schema: event }),
    });
    expect(event.safeParse(output).success).toBe(true);

    const json = await generateText({
      model: codex('gpt-5.5'),
      prompt: 'Any JSON.',
      output: Output.object({ schema: jsonSchema<Record<string, unknown>>({ type: 'object' }) }),
    });
    expect(json.output).toBeTypeOf('object');
  });

  it('gives no reasoning for a model without reasoning levels, nor at effort none', async () => {
    const { codex, emulator, responseBodies } = await setup();
    const [model] = defaultModelsCatalog();
    if (model == null) throw new Error('the default catalog is empty');
    emulator.setModels([
      ...defaultModelsCatalog(),
      { ...model, slug: 'plain-model', supported_reasoning_levels: [] },
      {
        ...model,
        slug: 'none-model',
        supported_reasoning_levels: [
          { effort: 'none', description: 'No reasoning' },
          { effort: 'low', description: 'Fast' },
        ],
      },
    ]);

    const plain = await generateText({ model: codex('plain-model'), prompt: 'Hi' });
    expect(plain.reasoning).toEqual([]);
    expect(plain.text).toContain('Hello from the Codex emulator.');

    const none = await generateText({
      model: codex('none-model'),
      prompt: 'Hi',
      providerOptions: { codex: { reasoningEffort: 'none', reasoningSummary: 'auto' } },
    });
    expect(none.reasoning).toEqual([]);
    expect(responseBodies().at(-1)?.reasoning).toMatchObject({ effort: 'none' });
    const reasoned = await generateText({
      model: codex('gpt-5.5'),
      prompt: 'Hi',
      providerOptions: { codex: { reasoningSummary: 'auto' } },
    });
    expect(reasoned.reasoning).not.toEqual([]);
  });
});
