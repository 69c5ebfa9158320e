import { generateText, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { textTurn } from '../src/testing';
import { useCodexProviderPerTest } from './support/codex-provider-setup';

const setup = useCodexProviderPerTest();

describe('remote compaction v2 over the emulator', () => {
  it('compacts a conversation on request and replays the compaction in place of the history', async () => {
    const { codex, emulator, responseBodies } = await setup();
    const history: ModelMessage[] = [
      { role: 'user', content: 'Name a prime number.' },
      { role: 'assistant', content: 'Seven.' },
      { role: 'user', content: 'Another one.' },
      { role: 'assistant', content: 'Eleven.' },
    ];

    const compacted = await generateText({
      model: codex('gpt-5.5'),
      system: 'You are terse.',
      messages: history,
      providerOptions: { codex: { compact: true } },
    });

    const [compactionPart] = compacted.content.filter(part => part.type === 'custom');
    expect(compactionPart).toMatchObject({
      type: 'custom',
      kind: 'codex.compaction',
      providerMetadata: { codex: { itemId: expect.any(String), encryptedContent: expect.any(String) } },
    });
    const encryptedContent = compactionPart?.providerMetadata?.codex?.encryptedContent;
    const [trigger] = emulator.requestsTo('responses');
    expect(trigger?.headers['x-codex-beta-features']).toBe('remote_compaction_v2');
    expect((responseBodies()[0]!.input as Array<{ type?: string }>).at(-1)).toEqual({
      type: 'compaction_trigger',
    });

    emulator.enqueue(textTurn('Thirteen.'));
    const next = await generateText({
      model: codex('gpt-5.5'),
      system: 'You are terse.',
      messages: [...history, ...compacted.response.messages, { role: 'user', content: 'One more.' }],
    });

    expect(next.text).toBe('Thirteen.');
    const replayed = responseBodies()[1]!;
    const items = (replayed.input as Array<Record<string, unknown>>).map(item =>
      item.type === 'compaction'
        ? { type: 'compaction', encrypted_content: item.encrypted_content }
        : item.role,
    );
    // The conversation before the compaction is not sent again; the instructions and the new message are.
    expect(items.filter(item => item !== 'developer' && item !== 'system')).toEqual([
      { type: 'compaction', encrypted_content: encryptedContent },
      'user',
    ]);
    expect(JSON.stringify(replayed)).not.toContain('Seven.');
    expect(JSON.stringify(replayed)).toContain('You are terse.');
  });
});
