import { describe, expect, it } from 'vitest';
import { defaultTurn, lastUserText } from './default-turn';
import { defaultModelsCatalog } from './models-catalog';
import type { MessageItemSpec, ReasoningItemSpec } from './response-events';

const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });

describe('defaultTurn', () => {
  it('quotes the last real user message (skipping the CLI environment context)', () => {
    expect(
      lastUserText([user('first'), user('second'), user('<environment_context>cwd</environment_context>')]),
    ).toBe('second');
    const message = defaultTurn({ input: [user('What is 2+2?')] }).output[1] as MessageItemSpec;
    expect(message.text).toBe('Hello from the Codex emulator. You said: "What is 2+2?".');
  });

  it('answers a compaction trigger with one compaction item, and a replayed compaction with text', () => {
    expect(defaultTurn({ input: [user('hi'), { type: 'compaction_trigger' }] }).output).toEqual([
      { type: 'compaction' },
    ]);
    const after = defaultTurn({ input: [{ type: 'compaction', encrypted_content: 'x' }, user('next')] });
    expect(after.output.at(-1)).toMatchObject({ type: 'message', text: expect.stringContaining('next') });
  });

  it('sends summaries and encrypted reasoning only when the request asks for them', () => {
    const plain = defaultTurn({ input: [] }).output[0] as ReasoningItemSpec;
    expect(plain.summary).toEqual([]);
    expect(plain.encryptedContent).toBeNull();
    const asked = defaultTurn({
      input: [],
      reasoning: { effort: 'low', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
    }).output[0] as ReasoningItemSpec;
    expect(asked.summary).toHaveLength(1);
    expect(asked.encryptedContent).toBeUndefined();
  });

  it('answers structured-output requests with JSON that fits the schema', () => {
    const message = defaultTurn({
      input: [user('give me a city')],
      text: {
        format: {
          type: 'json_schema',
          name: 'city',
          strict: true,
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, population: { type: 'integer' } },
            required: ['city', 'population'],
            additionalProperties: false,
          },
        },
      },
    }).output[1] as MessageItemSpec;
    expect(JSON.parse(message.text)).toEqual({ city: 'example', population: 1 });
  });

  const tools = [
    { type: 'web_search' },
    {
      type: 'function',
      name: 'weather',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } },
        required: ['city', 'days'],
        additionalProperties: false,
      },
    },
    { type: 'function', name: 'time', parameters: { type: 'object', properties: {} } },
    { type: 'custom', name: 'apply_patch' },
  ];

  it('calls a tool when tool_choice requires one: the first callable tool, or the named one', () => {
    expect(defaultTurn({ input: [user('hi')], tools, tool_choice: 'required' }).output.at(-1)).toEqual({
      type: 'function_call',
      name: 'weather',
      arguments: { city: 'example', days: 1 },
    });
    expect(
      defaultTurn({ input: [], tools, tool_choice: { type: 'function', name: 'time' } }).output.at(-1),
    ).toMatchObject({ type: 'function_call', name: 'time', arguments: {} });
    expect(
      defaultTurn({ input: [], tools, tool_choice: { type: 'custom', name: 'apply_patch' } }).output.at(-1),
    ).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch' });
    for (const toolChoice of ['auto', 'none', undefined]) {
      expect(defaultTurn({ input: [], tools, tool_choice: toolChoice }).output.at(-1)).toMatchObject({
        type: 'message',
      });
    }
  });

  it('gives no reasoning item at effort none, nor for a model whose catalog entry lists no reasoning levels', () => {
    const [model] = defaultModelsCatalog();
    if (model == null) throw new Error('the default catalog is empty');
    const kinds = (request: Record<string, unknown>, entry = model) =>
      defaultTurn({ input: [], ...request }, entry).output.map(item => item.type);
    expect(kinds({})).toEqual(['reasoning', 'message']);
    expect(kinds({ reasoning: { effort: 'none' } })).toEqual(['message']);
    expect(kinds({}, { ...model, supported_reasoning_levels: [] })).toEqual(['message']);
  });
});
