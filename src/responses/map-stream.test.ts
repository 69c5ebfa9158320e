import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { createToolNameMapping, isProviderStreamError, type ParseResult } from '@ai-sdk/provider-utils';
import { convertReadableStreamToArray } from '@ai-sdk/provider-utils/test';
import { describe, expect, it } from 'vitest';
import { eventReader } from '../../test/support/event-reader';
import { readFixture } from '../../test/support/fixtures';
import type { CodexEvent } from '../backend/event-schemas';
import { mapEventStream } from './map-stream';

function sseEvents(file: string): CodexEvent[] {
  return readFixture('codex', file)
    .split('\n')
    .filter(line => line.startsWith('data: '))
    .map(line => JSON.parse(line.slice(6)));
}

async function mapEvents(
  events: Array<CodexEvent | ParseResult<CodexEvent>>,
  options: {
    includeRawChunks?: boolean;
    tools?: Parameters<typeof createToolNameMapping>[0]['tools'];
  } = {},
): Promise<LanguageModelV4StreamPart[]> {
  let id = 0;
  return convertReadableStreamToArray(
    mapEventStream(eventReader(events), {
      warnings: [],
      includeRawChunks: options.includeRawChunks ?? false,
      toolNameMapping: createToolNameMapping({
        tools: options.tools,
        providerToolNames: { 'codex.web_search': 'web_search' },
      }),
      generateId: () => `id-${id++}`,
      metadata: { rateLimits: { planType: 'plus' } },
    }),
  );
}

const created = {
  type: 'response.created',
  response: { id: 'resp_1', created_at: 1_700_000_000, model: 'gpt-5.5' },
};
const completed = (usage?: object, extra: object = {}) => ({
  type: 'response.completed',
  response: { id: 'resp_1', usage, ...extra },
});

describe('mapEventStream', () => {
  it('maps a text turn with reasoning (codex constructed_text_turn.sse)', async () => {
    const parts = await mapEvents(sseEvents('constructed_text_turn.sse'));
    expect(parts).toEqual([
      { type: 'stream-start', warnings: [] },
      { type: 'response-metadata', id: 'resp_1' },
      {
        type: 'reasoning-start',
        id: 'rs_1:0',
        providerMetadata: { codex: { itemId: 'rs_1', reasoningEncryptedContent: null } },
      },
      { type: 'reasoning-delta', id: 'rs_1:0', delta: 'Thinking about' },
      {
        type: 'reasoning-end',
        id: 'rs_1:0',
        providerMetadata: { codex: { itemId: 'rs_1', reasoningEncryptedContent: 'gAAAA...opaque...' } },
      },
      { type: 'text-start', id: 'msg_1', providerMetadata: { codex: { itemId: 'msg_1' } } },
      { type: 'text-delta', id: 'msg_1', delta: 'Hello' },
      { type: 'text-delta', id: 'msg_1', delta: ' world' },
      {
        type: 'text-end',
        id: 'msg_1',
        providerMetadata: { codex: { itemId: 'msg_1', phase: 'final_answer' } },
      },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: undefined },
        usage: {
          inputTokens: { total: 1200, noCache: 176, cacheRead: 1024, cacheWrite: undefined },
          outputTokens: { total: 42, text: 26, reasoning: 16 },
          raw: expect.objectContaining({ input_tokens: 1200 }),
        },
        providerMetadata: { codex: { responseId: 'resp_1', rateLimits: { planType: 'plus' } } },
      },
    ]);
  });

  it('maps function and custom tool calls (codex constructed_function_call_turn.sse)', async () => {
    const parts = await mapEvents(sseEvents('constructed_function_call_turn.sse'));
    expect(parts.slice(2, -1)).toEqual([
      { type: 'tool-input-start', id: 'call_1', toolName: 'exec_command' },
      { type: 'tool-input-delta', id: 'call_1', delta: '{"cmd":"ls"}' },
      { type: 'tool-input-end', id: 'call_1' },
      {
        type: 'tool-call',
        toolCallId: 'call_1',
        toolName: 'exec_command',
        input: '{"cmd":"ls"}',
        providerMetadata: { codex: { itemId: 'fc_1' } },
      },
      // A custom call that arrives only as a finished item still opens and closes its input.
      { type: 'tool-input-start', id: 'call_2', toolName: 'apply_patch', inputEncoding: 'text' },
      { type: 'tool-input-end', id: 'call_2' },
      {
        type: 'tool-call',
        toolCallId: 'call_2',
        toolName: 'apply_patch',
        input: JSON.stringify('*** Begin Patch\n*** End Patch\n'),
      },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls' } });
  });

  it('takes the text of a message that arrives only as a finished item', async () => {
    const parts = await mapEvents(sseEvents('cli_responses_fixture.sse'));
    expect(parts.filter(part => part.type.startsWith('text'))).toEqual([
      { type: 'text-start', id: 'id-0', providerMetadata: { codex: { itemId: 'id-0' } } },
      { type: 'text-delta', id: 'id-0', delta: 'fixture hello' },
      { type: 'text-end', id: 'id-0', providerMetadata: { codex: { itemId: 'id-0' } } },
    ]);
  });

  it('sends response metadata with timestamp and model', async () => {
    const parts = await mapEvents([created, completed()]);
    expect(parts[1]).toEqual({
      type: 'response-metadata',
      id: 'resp_1',
      timestamp: new Date(1_700_000_000_000),
      modelId: 'gpt-5.5',
    });
  });

  it('ends earlier summary parts when a new one starts, and the last with the encrypted content', async () => {
    const parts = await mapEvents([
      {
        type: 'response.output_item.added',
        output_index: 0,
        item: { type: 'reasoning', id: 'rs', summary: [] },
      },
      { type: 'response.reasoning_summary_part.added', output_index: 0, item_id: 'rs', summary_index: 0 },
      {
        type: 'response.reasoning_summary_text.delta',
        output_index: 0,
        item_id: 'rs',
        summary_index: 0,
        delta: 'a',
      },
      { type: 'response.reasoning_summary_part.done', output_index: 0, item_id: 'rs', summary_index: 0 },
      { type: 'response.reasoning_summary_part.added', output_index: 0, item_id: 'rs', summary_index: 1 },
      {
        type: 'response.reasoning_summary_text.delta',
        output_index: 0,
        item_id: 'rs',
        summary_index: 1,
        delta: 'b',
      },
      { type: 'response.reasoning_summary_part.done', output_index: 0, item_id: 'rs', summary_index: 1 },
      {
        type: 'response.output_item.done',
        output_index: 0,
        item: {
          type: 'reasoning',
          id: 'rs',
          encrypted_content: 'enc',
          summary: [{ text: 'a' }, { text: 'b' }],
        },
      },
      completed(),
    ]);
    expect(parts.slice(1, -1)).toEqual([
      {
        type: 'reasoning-start',
        id: 'rs:0',
        providerMetadata: { codex: { itemId: 'rs', reasoningEncryptedContent: null } },
      },
      { type: 'reasoning-delta', id: 'rs:0', delta: 'a' },
      { type: 'reasoning-end', id: 'rs:0', providerMetadata: { codex: { itemId: 'rs' } } },
      {
        type: 'reasoning-start',
        id: 'rs:1',
        providerMetadata: { codex: { itemId: 'rs', reasoningEncryptedContent: null } },
      },
      { type: 'reasoning-delta', id: 'rs:1', delta: 'b' },
      {
        type: 'reasoning-end',
        id: 'rs:1',
        providerMetadata: { codex: { itemId: 'rs', reasoningEncryptedContent: 'enc' } },
      },
    ]);
  });

  it('replays the summary of a reasoning item that arrives only as a finished item', async () => {
    const parts = await mapEvents([
      {
        type: 'response.output_item.done',
        item: {
          type: 'reasoning',
          id: 'rs',
          encrypted_content: 'enc',
          summary: [{ text: 'a' }, { text: 'b' }],
        },
      },
    ]);
    expect(parts.slice(1, -1).map(part => [part.type, 'id' in part ? part.id : undefined])).toEqual([
      ['reasoning-start', 'rs:0'],
      ['reasoning-delta', 'rs:0'],
      ['reasoning-start', 'rs:1'],
      ['reasoning-delta', 'rs:1'],
      ['reasoning-end', 'rs:0'],
      ['reasoning-end', 'rs:1'],
    ]);
  });

  it('resolves rotating item ids through output_index', async () => {
    const parts = await mapEvents([
      {
        type: 'response.output_item.added',
        output_index: 3,
        item: { type: 'message', id: 'capture-1', content: [] },
      },
      { type: 'response.output_text.delta', output_index: 3, item_id: 'capture-2', delta: 'hi' },
      {
        type: 'response.output_item.done',
        output_index: 3,
        item: { type: 'message', id: 'capture-3', content: [{ type: 'output_text', text: 'hi' }] },
      },
    ]);
    expect(parts.slice(1, 4).map(part => ('id' in part ? part.id : undefined))).toEqual([
      'capture-1',
      'capture-1',
      'capture-1',
    ]);
  });

  it('streams tool-call arguments and marks the finish as tool-calls', async () => {
    const parts = await mapEvents([
      {
        type: 'response.output_item.added',
        output_index: 0,
        item: { type: 'function_call', id: 'fc', call_id: 'call', name: 'weather', arguments: '' },
      },
      { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc', delta: '{"city":' },
      { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc', delta: '"Paris"}' },
      {
        type: 'response.output_item.done',
        output_index: 0,
        item: {
          type: 'function_call',
          id: 'fc',
          call_id: 'call',
          name: 'weather',
          arguments: '{"city":"Paris"}',
        },
      },
      completed(),
    ]);
    expect(parts.slice(1)).toEqual([
      { type: 'tool-input-start', id: 'call', toolName: 'weather' },
      { type: 'tool-input-delta', id: 'call', delta: '{"city":' },
      { type: 'tool-input-delta', id: 'call', delta: '"Paris"}' },
      { type: 'tool-input-end', id: 'call' },
      {
        type: 'tool-call',
        toolCallId: 'call',
        toolName: 'weather',
        input: '{"city":"Paris"}',
        providerMetadata: { codex: { itemId: 'fc' } },
      },
      expect.objectContaining({ type: 'finish', finishReason: { unified: 'tool-calls', raw: undefined } }),
    ]);
  });

  it('maps web search to a provider-executed call and result, with sources and citations', async () => {
    const tools = [{ type: 'provider' as const, id: 'codex.web_search' as const, name: 'search', args: {} }];
    const parts = await mapEvents(
      [
        { type: 'response.output_item.added', output_index: 0, item: { type: 'web_search_call', id: 'ws' } },
        {
          type: 'response.output_item.done',
          output_index: 0,
          item: {
            type: 'web_search_call',
            id: 'ws',
            status: 'completed',
            action: { type: 'search', query: 'q' },
          },
        },
        {
          type: 'response.output_item.added',
          output_index: 1,
          item: { type: 'message', id: 'msg', content: [] },
        },
        { type: 'response.output_text.delta', output_index: 1, item_id: 'msg', delta: 'See it.' },
        {
          type: 'response.output_text.annotation.added',
          output_index: 1,
          item_id: 'msg',
          annotation: {
            type: 'url_citation',
            url: 'https://a.example',
            title: 'A',
            start_index: 0,
            end_index: 7,
          },
        },
        {
          type: 'response.output_item.done',
          output_index: 1,
          item: { type: 'message', id: 'msg', content: [] },
        },
        completed(),
      ],
      { tools },
    );
    const source = { type: 'source', sourceType: 'url', url: 'https://a.example', title: 'A' };
    expect(parts.slice(1, -1)).toEqual([
      { type: 'tool-input-start', id: 'ws', toolName: 'search', providerExecuted: true },
      { type: 'tool-input-end', id: 'ws' },
      { type: 'tool-call', toolCallId: 'ws', toolName: 'search', input: '{}', providerExecuted: true },
      {
        type: 'tool-result',
        toolCallId: 'ws',
        toolName: 'search',
        result: { action: { type: 'search', query: 'q' } },
      },
      { type: 'text-start', id: 'msg', providerMetadata: { codex: { itemId: 'msg' } } },
      { type: 'text-delta', id: 'msg', delta: 'See it.' },
      {
        type: 'text-end',
        id: 'msg',
        citations: [{ source: { ...source, id: 'https://a.example' }, startIndex: 0, endIndex: 7 }],
        providerMetadata: {
          codex: {
            itemId: 'msg',
            annotations: [
              { type: 'url_citation', url: 'https://a.example', title: 'A', start_index: 0, end_index: 7 },
            ],
          },
        },
      },
      { ...source, id: 'id-0' },
    ]);
    // Web search runs on the backend: the finish is not tool-calls.
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'stop' } });
  });

  it('prefers the sources a web search listed over citation sources', async () => {
    const parts = await mapEvents([
      {
        type: 'response.output_item.done',
        item: {
          type: 'web_search_call',
          id: 'ws',
          status: 'completed',
          action: { type: 'search', sources: [{ type: 'url', url: 'https://b.example' }] },
        },
      },
      {
        type: 'response.output_text.annotation.added',
        item_id: 'msg',
        annotation: { type: 'url_citation', url: 'https://a.example' },
      },
      completed(),
    ]);
    expect(parts.filter(part => part.type === 'source')).toEqual([
      { type: 'source', sourceType: 'url', id: 'id-0', url: 'https://b.example' },
    ]);
  });

  it('maps a failed web search to an error result', async () => {
    const parts = await mapEvents([
      { type: 'response.output_item.done', item: { type: 'web_search_call', id: 'ws', status: 'failed' } },
    ]);
    expect(parts).toContainEqual({
      type: 'tool-result',
      toolCallId: 'ws',
      toolName: 'web_search',
      isError: true,
      result: { status: 'failed' },
    });
  });

  it.each([
    ['max_output_tokens', 'length'],
    ['content_filter', 'content-filter'],
    ['something_else', 'other'],
  ])('maps incomplete reason %s to %s', async (reason, unified) => {
    const parts = await mapEvents([
      { type: 'response.incomplete', response: { incomplete_details: { reason } } },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified, raw: reason } });
  });

  it('treats a refusal as text with a content-filter finish', async () => {
    const parts = await mapEvents([
      { type: 'response.output_item.added', output_index: 0, item: { type: 'message', id: 'm' } },
      { type: 'response.refusal.delta', output_index: 0, item_id: 'm', delta: 'No.' },
      { type: 'response.output_item.done', output_index: 0, item: { type: 'message', id: 'm' } },
      completed(),
    ]);
    expect(parts).toContainEqual({ type: 'text-delta', id: 'm', delta: 'No.' });
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'content-filter' } });
  });

  it('ends as interrupted when the stream stops without a completion event', async () => {
    const parts = await mapEvents([created]);
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'interrupted', raw: undefined },
      usage: { inputTokens: { total: undefined } },
    });
  });

  it('turns response.failed after output into an error part', async () => {
    const parts = await mapEvents([
      { type: 'response.output_item.added', output_index: 0, item: { type: 'message', id: 'm' } },
      {
        type: 'response.failed',
        response: { error: { code: 'rate_limit_exceeded', message: 'Rate limit reached. Try again in 1s.' } },
      },
    ]);
    const error = parts.find(part => part.type === 'error');
    expect(error?.type === 'error' && isProviderStreamError(error.error)).toBe(true);
    expect(error).toMatchObject({
      error: { message: 'Rate limit reached. Try again in 1s.', statusCode: 429, isRetryable: true },
    });
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'error', raw: 'error' } });
  });

  it.each([
    [{ type: 'error', code: 'server_is_overloaded', message: 'busy' }, 503, true],
    [
      {
        type: 'error',
        error: { type: 'invalid_request_error', code: 'context_length_exceeded', message: 'long' },
      },
      400,
      false,
    ],
    [{ type: 'error', error: { type: 'insufficient_quota', message: 'quota' } }, 429, false],
  ])('maps error event %j to status %i', async (event, statusCode, isRetryable) => {
    const parts = await mapEvents([event]);
    expect(parts).toContainEqual({
      type: 'error',
      error: expect.objectContaining({ statusCode, isRetryable }),
    });
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'error' } });
  });

  it('reports unparsable chunks and malformed events as errors', async () => {
    const parts = await mapEvents([
      { success: false, error: new Error('bad json') as never, rawValue: undefined },
      { type: 'response.output_text.delta', item_id: 'm', delta: 42 },
      { type: 'response.created', response: { created_at: 1 } },
    ]);
    expect(parts.filter(part => part.type === 'error')).toHaveLength(3);
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'error' } });
  });

  it('ignores events it does not map', async () => {
    const parts = await mapEvents([
      { type: 'response.in_progress', response: {} },
      { type: 'codex.rate_limits', rate_limits: {} },
      { type: 'response.output_item.added', item: { type: 'compaction', id: 'c' } },
      completed(),
    ]);
    expect(parts.map(part => part.type)).toEqual(['stream-start', 'finish']);
  });

  it('maps a compaction item to a custom part that carries its encrypted content', async () => {
    const parts = await mapEvents([
      created,
      { type: 'response.output_item.added', output_index: 0, item: { type: 'compaction', id: 'cmp_1' } },
      {
        type: 'response.output_item.done',
        output_index: 0,
        item: { type: 'compaction', id: 'cmp_1', encrypted_content: 'gAAAA-summary' },
      },
      completed(),
    ]);
    expect(parts.filter(part => part.type === 'custom')).toEqual([
      {
        type: 'custom',
        kind: 'codex.compaction',
        providerMetadata: { codex: { itemId: 'cmp_1', encryptedContent: 'gAAAA-summary' } },
      },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop' } });
  });

  it('passes raw chunks through when asked', async () => {
    const parts = await mapEvents([created, completed()], { includeRawChunks: true });
    expect(parts.filter(part => part.type === 'raw')).toEqual([
      { type: 'raw', rawValue: created },
      { type: 'raw', rawValue: completed() },
    ]);
  });

  it('reports the service tier and cache writes', async () => {
    const parts = await mapEvents([
      completed(
        {
          input_tokens: 100,
          input_tokens_details: { cached_tokens: 40, cache_write_tokens: 60 },
          output_tokens: 10,
          output_tokens_details: { reasoning_tokens: 5 },
          total_tokens: 110,
        },
        { service_tier: 'priority' },
      ),
    ]);
    expect(parts.at(-1)).toMatchObject({
      usage: {
        inputTokens: { total: 100, noCache: 0, cacheRead: 40, cacheWrite: 60 },
        outputTokens: { total: 10, text: 5, reasoning: 5 },
      },
      providerMetadata: { codex: { serviceTier: 'priority' } },
    });
  });
});
