import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { COMPACTION_KIND, dropCompactedHistory } from './compaction';
import { convertPrompt } from './convert-prompt';

const compactionPart = (encryptedContent: string | undefined) => ({
  type: 'custom' as const,
  kind: COMPACTION_KIND as `${string}.${string}`,
  providerOptions:
    encryptedContent != null
      ? { codex: { itemId: 'cmp_1', encryptedContent } }
      : { codex: { itemId: 'cmp_1' } },
});

const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });
const assistant = (text: string) => ({
  role: 'assistant' as const,
  content: [{ type: 'text' as const, text }],
});

const convert = (prompt: LanguageModelV4Prompt) => convertPrompt({ prompt, customToolNames: new Set() });

const inputTexts = (input: Array<Record<string, unknown>>) =>
  input.map(item =>
    item.type === 'message'
      ? `${String(item.role)}:${(item.content as Array<{ text: string }>)[0]!.text}`
      : String(item.type),
  );

describe('compaction replay', () => {
  it('sends the compaction item in place of the conversation before it', async () => {
    const { input, warnings } = await convert([
      user('first question'),
      assistant('first answer'),
      { role: 'assistant', content: [compactionPart('gAAAA-summary')] },
      user('next question'),
    ]);
    expect(warnings).toEqual([]);
    expect(input).toEqual([
      { type: 'compaction', encrypted_content: 'gAAAA-summary' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'next question' }] },
    ]);
  });

  it('keeps the leading developer messages and replaces up to the last compaction only', () => {
    const developer = {
      type: 'message',
      role: 'developer',
      content: [{ type: 'input_text', text: 'rules' }],
    };
    const message = (role: 'user' | 'developer', text: string) => ({
      type: 'message' as const,
      role,
      content: [{ type: 'input_text' as const, text }],
    });
    const kept = dropCompactedHistory([
      developer as never,
      message('user', 'a'),
      { type: 'compaction', encrypted_content: 'one' },
      message('developer', 'mid-conversation note'),
      message('user', 'b'),
      { type: 'compaction', encrypted_content: 'two' },
      message('user', 'c'),
    ]);
    expect(inputTexts(kept as never)).toEqual(['developer:rules', 'compaction', 'user:c']);
    expect(kept[1]).toEqual({ type: 'compaction', encrypted_content: 'two' });
  });

  it('leaves an input without compaction as it is', () => {
    const input = [{ type: 'message' as const, role: 'user' as const, content: [] }];
    expect(dropCompactedHistory(input)).toBe(input);
  });

  it('keeps the history, with a warning, when the compaction part lost its encrypted content', async () => {
    const { input, warnings } = await convert([
      user('first question'),
      { role: 'assistant', content: [compactionPart(undefined)] },
      user('next question'),
    ]);
    expect(inputTexts(input as never)).toEqual(['user:first question', 'user:next question']);
    expect(warnings).toEqual([
      { type: 'other', message: expect.stringContaining('without its encrypted content') },
    ]);
  });

  it("skips other providers' custom parts with a warning", async () => {
    const { input, warnings } = await convert([
      { role: 'assistant', content: [{ type: 'custom', kind: 'openai.something' }] },
      user('hi'),
    ]);
    expect(inputTexts(input as never)).toEqual(['user:hi']);
    expect(warnings).toEqual([{ type: 'other', message: expect.stringContaining('openai.something') }]);
  });
});
