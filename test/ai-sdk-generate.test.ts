import { generateObject, generateText, Output, streamObject, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { messageItem, reasoningTurn, textTurn, turn } from '../src/testing';
import { useCodexProviderPerTest } from './support/codex-provider-setup';

const setup = useCodexProviderPerTest();

const recipe = z.object({
  name: z.string(),
  servings: z.number(),
  ingredients: z.array(z.object({ item: z.string(), grams: z.number().optional() })),
  notes: z.string().optional(),
});

const recipeJson = {
  name: 'Pancakes',
  servings: 4,
  ingredients: [{ item: 'flour', grams: 200 }, { item: 'eggs' }],
};

describe('ai@7 against the emulator', () => {
  it('generateText returns text, reasoning, usage and provider metadata', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(reasoningTurn('Greeting the user.', 'Hello! How can I help?'));

    const result = await generateText({
      model: codex('gpt-5.5'),
      system: 'You are friendly.',
      prompt: 'Hi',
      reasoning: 'low',
    });

    expect(result.text).toBe('Hello! How can I help?');
    expect(result.reasoningText).toBe('Greeting the user.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.providerMetadata?.codex?.rateLimits).toMatchObject({ primary: { usedPercent: 12 } });
    // The system prompt travels as a developer message, as the Codex CLI sends its instructions.
    expect(responseBodies()[0]).toMatchObject({
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are friendly.' }] },
        { type: 'message', role: 'user' },
      ],
      reasoning: { effort: 'low', summary: 'auto' },
    });
    expect(responseBodies()[0]?.instructions).toBeUndefined();
  });

  it('streamText streams text and reasoning deltas', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(reasoningTurn(['Step one.', 'Step two.'], 'The answer is 42.'));

    const result = streamText({ model: codex('gpt-5.5'), prompt: 'What is the answer?' });
    const textChunks: string[] = [];
    const reasoningChunks: string[] = [];
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') textChunks.push(part.text);
      if (part.type === 'reasoning-delta') reasoningChunks.push(part.text);
    }

    expect(textChunks.length).toBeGreaterThan(1);
    expect(textChunks.join('')).toBe('The answer is 42.');
    expect(reasoningChunks.join('')).toBe('Step one.Step two.');
    expect(await result.finishReason).toBe('stop');
    expect((await result.reasoning).map(part => (part.type === 'reasoning' ? part.text : ''))).toEqual([
      'Step one.',
      'Step two.',
    ]);
  });

  it('sends images as data URLs', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(textTurn('A red pixel.'));

    await generateText({
      model: codex('gpt-5.5'),
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            {
              type: 'file',
              data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
              mediaType: 'image/png',
            },
          ],
        },
      ],
    });

    expect(responseBodies()[0]?.input).toEqual([
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is this?' },
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=' },
        ],
      },
    ]);
  });

  it('generateObject parses a nested object with optional fields', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(textTurn(JSON.stringify(recipeJson)));

    const result = await generateObject({ model: codex('gpt-5.5'), schema: recipe, prompt: 'A recipe.' });

    expect(result.object).toEqual(recipeJson);
    expect(responseBodies()[0]?.text).toMatchObject({
      format: { type: 'json_schema', name: 'response', strict: false, schema: { type: 'object' } },
    });
    expect(result.warnings).toEqual([expect.objectContaining({ feature: 'strictJsonSchema' })]);
  });

  it('generateObject uses strict mode when every field is required', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(textTurn('{"city":"Paris","population":2100000}'));

    const result = await generateObject({
      model: codex('gpt-5.5'),
      schema: z.object({ city: z.string(), population: z.number() }),
      schemaName: 'city',
      prompt: 'A city.',
    });

    expect(result.object).toEqual({ city: 'Paris', population: 2100000 });
    expect(responseBodies()[0]?.text).toMatchObject({
      format: { type: 'json_schema', name: 'city', strict: true },
    });
  });

  it('streamObject streams partial objects', async () => {
    const { codex, emulator } = await setup();
    const json = JSON.stringify(recipeJson);
    emulator.enqueue(turn([messageItem(json, { chunks: json.match(/.{1,12}/g) ?? [] })]));

    const result = streamObject({ model: codex('gpt-5.5'), schema: recipe, prompt: 'A recipe.' });
    const partials: unknown[] = [];
    for await (const partial of result.partialObjectStream) partials.push(partial);

    expect(partials.length).toBeGreaterThan(1);
    expect(await result.object).toEqual(recipeJson);
  });

  it('streamText with Output.object returns the parsed output', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(textTurn(JSON.stringify(recipeJson), { phase: 'final_answer' }));

    const result = streamText({
      model: codex('gpt-5.5'),
      output: Output.object({ schema: recipe }),
      prompt: 'A recipe.',
    });

    expect(await result.output).toEqual(recipeJson);
  });

  it('generateText with Output.object takes a z.discriminatedUnion: strict, its oneOf sent as anyOf', async () => {
    const { codex, emulator, responseBodies } = await setup();
    const drawing = z.object({
      shape: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('circle'), radius: z.number() }),
        z.object({ kind: z.literal('square'), side: z.number() }),
      ]),
    });
    emulator.enqueue(textTurn(JSON.stringify({ shape: { kind: 'square', side: 3 } })));

    // The emulator refuses strict schemas with oneOf, as the backend does.
    const result = await generateText({
      model: codex('gpt-5.5'),
      prompt: 'Draw a shape.',
      output: Output.object({ schema: drawing }),
    });

    expect(result.output).toEqual({ shape: { kind: 'square', side: 3 } });
    expect(result.warnings).toEqual([]);
    const format = (responseBodies()[0]?.text as { format?: Record<string, unknown> } | undefined)?.format;
    expect(format).toMatchObject({ type: 'json_schema', strict: true });
    expect(JSON.stringify(format?.schema)).not.toContain('oneOf');
    expect(format?.schema).toMatchObject({ properties: { shape: { anyOf: [{}, {}] } } });
  });

  it('generateText with Output.object sends a top-level union without strict, and the default answer fits it', async () => {
    const { codex, responseBodies } = await setup();
    const shape = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('circle'), radius: z.number() }),
      z.object({ kind: z.literal('square'), side: z.number() }),
    ]);

    const result = await generateText({
      model: codex('gpt-5.5'),
      prompt: 'Draw a shape.',
      output: Output.object({ schema: shape }),
    });

    expect(shape.safeParse(result.output).success).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ feature: 'strictJsonSchema' })]);
    expect(responseBodies()[0]?.text).toMatchObject({ format: { type: 'json_schema', strict: false } });
  });

  it('generateText with Output.object parses only the final answer when the model comments first', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(
      turn([
        messageItem('Let me put that together.', { phase: 'commentary' }),
        messageItem(JSON.stringify(recipeJson), { phase: 'final_answer' }),
      ]),
    );

    const result = await generateText({
      model: codex('gpt-5.5'),
      output: Output.object({ schema: recipe }),
      prompt: 'A recipe.',
    });

    expect(result.output).toEqual(recipeJson);
  });
});
