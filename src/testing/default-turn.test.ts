import { describe, expect, it } from 'vitest';
import { defaultTurn, lastUserText } from './default-turn';
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
});
