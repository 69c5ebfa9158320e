import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { ProxyError } from '../proxy-error';
import { createChatChunkMapper } from './chat-completion-chunks';
import { chatCompletionSse } from './chat-completion-sse';
import type { PartReader } from './throw-if-error-before-output';

const finish: LanguageModelV4StreamPart = {
  type: 'finish',
  finishReason: { unified: 'stop', raw: 'completed' },
  usage: {
    inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: undefined },
    outputTokens: { total: 1, text: 1, reasoning: 0 },
  },
};

/** Parts read one at a time, then `failure` thrown if given; records what was read and whether it was cancelled. */
function partReader(parts: LanguageModelV4StreamPart[], failure?: unknown) {
  const state = { reads: 0, cancelled: false };
  const reader: PartReader = {
    read: async () => {
      const part = parts[state.reads++];
      if (part != null) return { done: false, value: part };
      if (failure != null) throw failure;
      return { done: true, value: undefined };
    },
    cancel: async () => {
      state.cancelled = true;
    },
  };
  return { reader, state };
}

async function sse(reader: PartReader, signal = new AbortController().signal): Promise<string[]> {
  const mapper = createChatChunkMapper({
    id: 'chatcmpl-1',
    created: 1700000000,
    model: 'gpt-5.5',
    includeUsage: false,
    toProxyError: error =>
      error instanceof ProxyError ? error : new ProxyError({ message: String(error), status: 502 }),
  });
  const text = await new Response(chatCompletionSse(reader, mapper, { signal })).text();
  return text
    .split('\n\n')
    .filter(event => event.length > 0)
    .map(event => {
      const data = event.replace(/^data: /, '');
      if (data === '[DONE]') return data;
      const json = JSON.parse(data) as {
        error?: { message: string };
        choices: Array<{ delta: { content?: string }; finish_reason: string | null }>;
      };
      return json.error != null
        ? `error: ${json.error.message}`
        : (json.choices[0]?.delta.content ?? `finish: ${json.choices[0]?.finish_reason}`);
    });
}

const text = (delta: string): LanguageModelV4StreamPart => ({ type: 'text-delta', id: 't', delta });

describe('chatCompletionSse', () => {
  it('sends a chunk per delta, the finish and [DONE]', async () => {
    const { reader } = partReader([{ type: 'text-start', id: 't' }, text('Hel'), text('lo'), finish]);
    expect(await sse(reader)).toEqual(['', 'Hel', 'lo', 'finish: stop', '[DONE]']);
  });

  it('ends at an error part without [DONE], reads no further and cancels the rest', async () => {
    const { reader, state } = partReader([
      text('Hel'),
      { type: 'error', error: new ProxyError({ message: 'the backend failed', status: 502 }) },
      text('never'),
      finish,
    ]);
    expect(await sse(reader)).toEqual(['', 'Hel', 'error: the backend failed']);
    expect(state.reads).toBe(2);
    expect(state.cancelled).toBe(true);
  });

  it('ends with one error event when reading fails, or quietly when the client has gone', async () => {
    expect(await sse(partReader([text('Hel')], new Error('idle timeout')).reader)).toEqual([
      '',
      'Hel',
      'error: Error: idle timeout',
    ]);
    const gone = new AbortController();
    gone.abort();
    expect(await sse(partReader([text('Hel')], new Error('aborted')).reader, gone.signal)).toEqual([
      '',
      'Hel',
    ]);
  });

  it('ends a stream that stops before its finish with the incomplete error, without [DONE]', async () => {
    expect(await sse(partReader([text('Hel')]).reader)).toEqual([
      '',
      'Hel',
      'error: The Codex backend ended the response before it completed. Retry the request.',
    ]);
  });
});
