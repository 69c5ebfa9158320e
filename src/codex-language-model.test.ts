import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { streamParts, useCodexProviderPerTest } from '../test/support/codex-provider-setup';
import {
  customToolCallTurn,
  functionCallItem,
  messageItem,
  reasoningItem,
  textTurn,
  turn,
  webSearchTurn,
} from './testing';

const startProvider = useCodexProviderPerTest();
// Over HTTP: these tests read the SSE request (its headers, the whole body) and the HTTP response; the same
// calls over the WebSocket are checked in test/websocket-transport.test.ts.
const setup = (options: Parameters<typeof startProvider>[0] = {}) =>
  startProvider({ ...options, provider: { transport: 'sse', ...options.provider } });

const userPrompt: LanguageModelV4CallOptions['prompt'] = [
  { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
];

describe('CodexLanguageModel over HTTP', () => {
  it('sends the Codex request shape with credentials, originator, user agent and session id', async () => {
    const { codex, login, emulator } = await setup({
      provider: { originator: 'my_app', headers: { 'x-provider-header': 'p' } },
    });
    emulator.enqueue(textTurn('Hello'));

    const { stream } = await codex('gpt-5.5').doStream({
      prompt: [{ role: 'system', content: 'Be brief.' }, ...userPrompt],
      headers: { 'x-call-header': 'c' },
    });
    await streamParts(stream);

    const [request] = emulator.requestsTo('responses');
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${login.accessToken}`,
      'chatgpt-account-id': login.accountId,
      originator: 'my_app',
      accept: 'text/event-stream',
      'x-provider-header': 'p',
      'x-call-header': 'c',
    });
    expect(request?.headers['user-agent']).toMatch(/ai-sdk-provider-codex\/\d+\.\d+\.\d+/);
    // gpt-5.5 takes the classic shape: no Lite header.
    expect(request?.headers['x-openai-internal-codex-responses-lite']).toBeUndefined();
    expect(request?.body).toEqual({
      model: 'gpt-5.5',
      input: [
        {
          type: 'message',
          id: expect.stringMatching(/^msg_/),
          role: 'developer',
          content: [{ type: 'input_text', text: 'Be brief.' }],
        },
        {
          type: 'message',
          id: expect.stringMatching(/^msg_/),
          role: 'user',
          content: [{ type: 'input_text', text: 'Hi' }],
        },
      ],
      reasoning: { summary: 'auto' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: request?.headers['session-id'],
      text: { verbosity: 'low' },
    });
  });

  it('streams reasoning, text and tool calls, and reports usage and rate limits at the finish', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(
      turn(
        [
          reasoningItem(['Checking the weather.'], { encryptedContent: 'enc-1' }),
          messageItem('Let me look.', { phase: 'commentary' }),
          functionCallItem('weather', { city: 'Paris' }, { callId: 'call_1' }),
        ],
        { usage: { inputTokens: 100, cachedTokens: 40, outputTokens: 30, reasoningTokens: 10 } },
      ),
    );

    const { stream, response, request } = await codex('gpt-5.5').doStream({ prompt: userPrompt });
    const parts = await streamParts(stream);

    // Part kinds in order, consecutive deltas counted once.
    expect(parts.map(part => part.type).filter((type, index, types) => type !== types[index - 1])).toEqual([
      'stream-start',
      'response-metadata',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-end',
      'text-start',
      'text-delta',
      'text-end',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-end',
      'tool-call',
      'finish',
    ]);
    expect(parts.find(part => part.type === 'reasoning-end')).toMatchObject({
      providerMetadata: { codex: { reasoningEncryptedContent: 'enc-1' } },
    });
    expect(parts.find(part => part.type === 'tool-call')).toMatchObject({
      toolCallId: 'call_1',
      toolName: 'weather',
      input: '{"city":"Paris"}',
    });
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'tool-calls' },
      usage: {
        inputTokens: { total: 100, noCache: 60, cacheRead: 40 },
        outputTokens: { total: 30, text: 20, reasoning: 10 },
      },
      providerMetadata: {
        codex: {
          responseId: expect.stringMatching(/^resp_/),
          rateLimits: {
            primary: { usedPercent: 12, windowMinutes: 300 },
            secondary: { usedPercent: 5, windowMinutes: 10080 },
            planType: 'plus',
          },
        },
      },
    });
    expect(response?.headers?.['content-type']).toMatch(/text\/event-stream/);
    expect(request?.url).toBe(`${emulator.baseURL}/responses`);
  });

  it('aggregates the stream in doGenerate', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(
      turn([
        reasoningItem(['First.', 'Second.'], { encryptedContent: 'enc-2' }),
        messageItem('Answer.', { phase: 'final_answer' }),
      ]),
    );

    const result = await codex('gpt-5.5').doGenerate({ prompt: userPrompt, temperature: 0.2 });

    expect(result.content).toEqual([
      {
        type: 'reasoning',
        text: 'First.',
        providerMetadata: { codex: { itemId: expect.any(String) } },
      },
      {
        type: 'reasoning',
        text: 'Second.',
        providerMetadata: { codex: { itemId: expect.any(String), reasoningEncryptedContent: 'enc-2' } },
      },
      {
        type: 'text',
        text: 'Answer.',
        providerMetadata: { codex: { itemId: expect.any(String), phase: 'final_answer' } },
      },
    ]);
    expect(result.finishReason).toEqual({ unified: 'stop', raw: undefined });
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported', feature: 'temperature' }),
    ]);
    expect(result.response).toMatchObject({ id: expect.stringMatching(/^resp_/), modelId: 'gpt-5.5' });
    expect(result.response?.timestamp).toBeInstanceOf(Date);
    expect(result.providerMetadata?.codex?.rateLimits).toBeDefined();
    expect(result.request?.body).not.toHaveProperty('temperature');
  });

  it('passes raw chunks through when asked', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(textTurn('Hi'));
    const { stream } = await codex('gpt-5.5').doStream({ prompt: userPrompt, includeRawChunks: true });
    const parts = await streamParts(stream);
    const raw = parts.filter(part => part.type === 'raw');
    expect(raw.length).toBeGreaterThan(4);
    expect(raw[0]).toMatchObject({ rawValue: { type: 'response.created' } });
  });

  it('clamps the reasoning effort to what the catalog lists, fetching the catalog once', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(textTurn('a'), textTurn('b'));
    const model = codex('gpt-5.5');

    const first = await model.doGenerate({ prompt: userPrompt, reasoning: 'max' });
    await model.doGenerate({
      prompt: userPrompt,
      providerOptions: { codex: { reasoningEffort: 'minimal' } },
    });

    expect(responseBodies().map(body => body.reasoning)).toEqual([
      { effort: 'xhigh', summary: 'auto' },
      { effort: 'low', summary: 'auto' },
    ]);
    expect(first.warnings).toEqual([
      expect.objectContaining({ type: 'compatibility', feature: 'reasoning' }),
    ]);
    expect(emulator.requestsTo('models')).toHaveLength(1);
    expect(emulator.requestsTo('models')[0]?.query.client_version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('surfaces custom tool calls as tool calls with the raw text input', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(
      customToolCallTurn({ name: 'apply_patch', input: '*** Begin Patch\n*** End Patch', callId: 'c1' }),
    );

    const result = await codex('gpt-5.5').doGenerate({
      prompt: userPrompt,
      tools: [
        { type: 'provider', id: 'codex.custom', name: 'apply_patch', args: { description: 'Patch files' } },
      ],
    });

    expect(responseBodies()[0]?.tools).toEqual([
      { type: 'custom', name: 'apply_patch', description: 'Patch files' },
    ]);
    expect(result.content).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'c1',
        toolName: 'apply_patch',
        input: JSON.stringify('*** Begin Patch\n*** End Patch'),
        providerMetadata: { codex: { itemId: expect.any(String) } },
      },
    ]);
    expect(result.finishReason.unified).toBe('tool-calls');
  });

  it('returns web search citations as sources', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(
      webSearchTurn({
        query: 'ai sdk',
        text: 'The AI SDK is a TypeScript toolkit.',
        citations: [{ url: 'https://ai-sdk.dev', title: 'AI SDK' }],
      }),
    );

    const result = await codex('gpt-5.5').doGenerate({
      prompt: userPrompt,
      tools: [{ type: 'provider', id: 'codex.web_search', name: 'web_search', args: {} }],
    });

    expect(result.content.filter(part => part.type === 'source')).toEqual([
      expect.objectContaining({ sourceType: 'url', url: 'https://ai-sdk.dev' }),
    ]);
    expect(result.content.find(part => part.type === 'text')).toMatchObject({
      citations: [{ source: { url: 'https://ai-sdk.dev', title: 'AI SDK' } }],
    });
    expect(result.content.filter(part => part.type === 'tool-call')).toEqual([
      expect.objectContaining({ toolName: 'web_search', providerExecuted: true }),
    ]);
  });
});
