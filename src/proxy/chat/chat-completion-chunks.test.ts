import type { LanguageModelV4StreamPart, LanguageModelV4Usage } from '@ai-sdk/provider';
import { convertArrayToReadableStream } from '@ai-sdk/provider-utils/test';
import { describe, expect, it } from 'vitest';
import { ProxyError } from '../proxy-error';
import { aggregateChatCompletion } from './aggregate-chat-completion';
import { type ChatChunkEvent, createChatChunkMapper } from './chat-completion-chunks';

const usage: LanguageModelV4Usage = {
  inputTokens: { total: 120, noCache: 20, cacheRead: 100, cacheWrite: undefined },
  outputTokens: { total: 50, text: 30, reasoning: 20 },
};

const toProxyError = (error: unknown) =>
  new ProxyError({ message: String(error), status: 500, type: 'server_error' });

function mapperFor(includeUsage: boolean, jsonOutput: boolean) {
  return createChatChunkMapper({
    id: 'chatcmpl-1',
    created: 1700000000,
    model: 'gpt-5.5',
    includeUsage,
    jsonOutput,
    toProxyError,
  });
}

function run(parts: LanguageModelV4StreamPart[], includeUsage = false, jsonOutput = false): ChatChunkEvent[] {
  const mapper = mapperFor(includeUsage, jsonOutput);
  return [...parts.flatMap(part => mapper.map(part)), ...mapper.end()];
}

function aggregate(parts: LanguageModelV4StreamPart[], includeUsage = false, jsonOutput = false) {
  return aggregateChatCompletion(
    convertArrayToReadableStream(parts).getReader(),
    mapperFor(includeUsage, jsonOutput),
  );
}

const deltas = (events: ChatChunkEvent[]) =>
  events.map(event =>
    event.type === 'chunk' ? (event.chunk.choices[0]?.delta ?? event.chunk.usage) : event.error,
  );

describe('createChatChunkMapper', () => {
  it('sends a role chunk, text deltas and the finish reason, shaped as OpenAI chunks', async () => {
    const events = run([
      { type: 'stream-start', warnings: [] },
      { type: 'response-metadata', id: 'resp_1', modelId: 'gpt-5.5-2026' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Hel' },
      { type: 'text-delta', id: 't', delta: 'lo' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage },
    ]);

    expect(events).toEqual([
      {
        type: 'chunk',
        chunk: {
          id: 'chatcmpl-1',
          object: 'chat.completion.chunk',
          created: 1700000000,
          model: 'gpt-5.5-2026',
          choices: [
            {
              index: 0,
              delta: { role: 'assistant', content: '', refusal: null },
              logprobs: null,
              finish_reason: null,
            },
          ],
        },
      },
      expect.objectContaining({
        chunk: expect.objectContaining({ choices: [expect.objectContaining({ delta: { content: 'Hel' } })] }),
      }),
      expect.objectContaining({
        chunk: expect.objectContaining({ choices: [expect.objectContaining({ delta: { content: 'lo' } })] }),
      }),
      {
        type: 'chunk',
        chunk: expect.objectContaining({
          choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }],
        }),
      },
    ]);
    expect(events.every(event => event.type === 'chunk' && !('usage' in event.chunk))).toBe(true);
  });

  it('with include_usage, puts usage: null on each chunk and ends with a usage chunk with no choices', async () => {
    const events = run(
      [
        { type: 'text-delta', id: 't', delta: 'Hi' },
        { type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage },
      ],
      true,
    );
    const chunks = events.map(event => (event.type === 'chunk' ? event.chunk : undefined));
    expect(chunks.slice(0, -1).every(chunk => chunk?.usage === null)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 50,
        total_tokens: 170,
        prompt_tokens_details: { cached_tokens: 100 },
        completion_tokens_details: { reasoning_tokens: 20 },
      },
    });
  });

  it('streams tool calls with index, id, type and name first, then argument deltas', async () => {
    const events = run([
      { type: 'tool-input-start', id: 'call_a', toolName: 'weather' },
      { type: 'tool-input-delta', id: 'call_a', delta: '{"city":' },
      { type: 'tool-input-delta', id: 'call_a', delta: '"Paris"}' },
      { type: 'tool-input-end', id: 'call_a' },
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'weather', input: '{"city":"Paris"}' },
      { type: 'tool-call', toolCallId: 'call_b', toolName: 'time', input: '{}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: undefined }, usage },
    ]);

    expect(deltas(events)).toEqual([
      { role: 'assistant', content: '', refusal: null },
      {
        tool_calls: [
          { index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      {
        tool_calls: [
          { index: 1, id: 'call_b', type: 'function', function: { name: 'time', arguments: '{}' } },
        ],
      },
      {},
    ]);
    const last = events.at(-1);
    expect(last?.type === 'chunk' && last.chunk.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('sends the arguments with the final tool call when the model streamed no input deltas', async () => {
    const events = run([
      { type: 'tool-input-start', id: 'c', toolName: 'f' },
      { type: 'tool-call', toolCallId: 'c', toolName: 'f', input: '{"a":1}' },
      { type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage },
    ]);
    expect(deltas(events).slice(1)).toEqual([
      { tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] },
      {},
    ]);
    // Calls were made, so a generic stop is reported as tool_calls, as OpenAI does.
    const last = events.at(-1);
    expect(last?.type === 'chunk' && last.chunk.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('leaves out tool calls the backend executed itself and forwards reasoning as reasoning_content', async () => {
    const events = run([
      { type: 'reasoning-delta', id: 'r', delta: 'Thinking' },
      { type: 'tool-input-start', id: 'ws', toolName: 'web_search', providerExecuted: true },
      { type: 'tool-call', toolCallId: 'ws', toolName: 'web_search', input: '{}', providerExecuted: true },
      { type: 'finish', finishReason: { unified: 'length', raw: 'max_output_tokens' }, usage },
    ]);
    expect(deltas(events)).toEqual([
      { role: 'assistant', content: '', refusal: null },
      { reasoning_content: 'Thinking' },
      {},
    ]);
    const last = events.at(-1);
    expect(last?.type === 'chunk' && last.chunk.choices[0]?.finish_reason).toBe('length');
  });

  it('keeps commentary before the final answer as content, except when the client asked for JSON', async () => {
    const parts: LanguageModelV4StreamPart[] = [
      { type: 'text-start', id: 'c', providerMetadata: { codex: { phase: 'commentary' } } },
      { type: 'text-delta', id: 'c', delta: 'Let me format that. ' },
      { type: 'text-end', id: 'c' },
      { type: 'text-start', id: 'f', providerMetadata: { codex: { phase: 'final_answer' } } },
      { type: 'text-delta', id: 'f', delta: '{"a":1}' },
      { type: 'text-end', id: 'f' },
      { type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage },
    ];
    const content = async (jsonOutput: boolean) =>
      (await aggregate(parts, true, jsonOutput)).choices[0]?.message.content;
    expect(await content(false)).toBe('Let me format that. {"a":1}');
    expect(await content(true)).toBe('{"a":1}');
  });

  it('ends with the first error, and reports a stream that stops without finishing as an error', async () => {
    const failed = run([
      { type: 'text-delta', id: 't', delta: 'a' },
      { type: 'error', error: 'boom' },
      { type: 'text-delta', id: 't', delta: 'b' },
      { type: 'finish', finishReason: { unified: 'error', raw: undefined }, usage },
    ]);
    expect(failed.map(event => event.type)).toEqual(['chunk', 'chunk', 'error']);
    expect(failed.at(-1)).toMatchObject({ error: { message: 'boom' } });

    const cut = run([{ type: 'text-delta', id: 't', delta: 'a' }]);
    expect(cut.at(-1)).toMatchObject({ type: 'error', error: { status: 502, code: 'incomplete_response' } });
  });
});

describe('aggregateChatCompletion', () => {
  it('folds the chunks into a chat.completion with the message, tool calls, finish reason and usage', async () => {
    const completion = await aggregate(
      [
        { type: 'response-metadata', modelId: 'gpt-5.5' },
        { type: 'reasoning-delta', id: 'r', delta: 'Plan.' },
        { type: 'text-delta', id: 't', delta: 'Checking ' },
        { type: 'text-delta', id: 't', delta: 'both.' },
        { type: 'tool-input-start', id: 'c1', toolName: 'weather' },
        { type: 'tool-input-delta', id: 'c1', delta: '{"city":"Oslo"}' },
        { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: '{"city":"Oslo"}' },
        { type: 'tool-call', toolCallId: 'c2', toolName: 'weather', input: '{"city":"Rome"}' },
        { type: 'finish', finishReason: { unified: 'tool-calls', raw: undefined }, usage },
      ],
      true,
    );

    expect(completion).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'gpt-5.5',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Checking both.',
            refusal: null,
            annotations: [],
            reasoning_content: 'Plan.',
            tool_calls: [
              { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
              { id: 'c2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: expect.objectContaining({ prompt_tokens: 120, completion_tokens: 50, total_tokens: 170 }),
    });
  });

  it('gives content null when the model only called tools, and rejects with the stream error', async () => {
    const completion = await aggregate(
      [
        { type: 'tool-call', toolCallId: 'c', toolName: 'f', input: '{}' },
        { type: 'finish', finishReason: { unified: 'tool-calls', raw: undefined }, usage },
      ],
      true,
    );
    expect(completion.choices[0]?.message.content).toBeNull();

    await expect(aggregate([{ type: 'error', error: 'nope' }], true)).rejects.toMatchObject({
      message: 'nope',
      status: 500,
    });
  });
});
