import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { streamText } from 'ai';
import { describe, expect, it, vi } from 'vitest';
import { textTurn } from '../src/testing';
import { useCodexProviderPerTest } from './support/codex-provider-setup';

const setup = useCodexProviderPerTest();

const prompt: LanguageModelV4CallOptions['prompt'] = [
  { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
];
const slowTurn = () => textTurn('one two three four five six seven eight nine ten', { delayMs: 500 });

async function readUntilText(reader: ReadableStreamDefaultReader<LanguageModelV4StreamPart>) {
  while (true) {
    const { done, value } = await reader.read();
    if (done || value.type === 'text-delta') return value;
  }
}

describe('streaming', () => {
  it('the abort signal cancels the upstream request', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(slowTurn());
    const controller = new AbortController();

    const { stream } = await codex('gpt-5.5').doStream({ prompt, abortSignal: controller.signal });
    const reader = stream.getReader();
    expect(await readUntilText(reader)).toMatchObject({ type: 'text-delta', delta: 'one' });
    controller.abort();

    await expect(readUntilText(reader)).rejects.toMatchObject({ name: 'AbortError' });
    await vi.waitFor(() => expect(emulator.counters.clientClosedStreams).toBe(1));
    expect(emulator.counters.completedStreams).toBe(0);
  });

  it('cancelling the stream cancels the upstream request', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(slowTurn());

    const { stream } = await codex('gpt-5.5').doStream({ prompt });
    const reader = stream.getReader();
    await readUntilText(reader);
    await reader.cancel();

    await vi.waitFor(() => expect(emulator.counters.clientClosedStreams).toBe(1));
    expect(emulator.counters.completedStreams).toBe(0);
  });

  it('streamText passes raw chunks through with includeRawChunks', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(textTurn('Hello'));

    const result = streamText({ model: codex('gpt-5.5'), prompt: 'Hi', includeRawChunks: true });
    const rawTypes: string[] = [];
    for await (const part of result.fullStream) {
      if (part.type === 'raw') rawTypes.push((part.rawValue as { type: string }).type);
    }

    expect(rawTypes[0]).toBe('response.created');
    expect(rawTypes).toContain('response.output_text.delta');
    expect(rawTypes.at(-1)).toBe('response.completed');
  });
});
