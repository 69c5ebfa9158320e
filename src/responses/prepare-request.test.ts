import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { bundledModels } from '../backend/bundled-models';
import type { CodexModelInfo } from '../backend/models-catalog';
import type { CodexLanguageModelOptions } from './codex-options';
import { parseCodexOptions, prepareRequest } from './prepare-request';

const gpt55: CodexModelInfo = {
  id: 'gpt-5.5',
  supportedReasoningEfforts: ['low', 'medium', 'high', 'xhigh'],
  supportsReasoningSummaries: true,
  supportsVerbosity: true,
  serviceTiers: ['priority'],
};

const prompt: LanguageModelV4CallOptions['prompt'] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
];

function prepare(
  options: Partial<LanguageModelV4CallOptions> = {},
  codexOptions?: CodexLanguageModelOptions,
  modelInfo: CodexModelInfo | undefined = gpt55,
) {
  return prepareRequest({ modelId: 'gpt-5.5', options: { prompt, ...options }, codexOptions, modelInfo });
}

describe('prepareRequest', () => {
  it('builds the body the Codex backend expects, in the Codex CLI field order', async () => {
    const { body, warnings, sessionId } = await prepare();
    expect(Object.keys(body)).toEqual([
      'model',
      'stream',
      'input',
      'reasoning',
      'store',
      'include',
      'prompt_cache_key',
    ]);
    expect(body).toMatchObject({
      model: 'gpt-5.5',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      ],
      reasoning: { summary: 'auto' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: sessionId,
    });
    expect(warnings).toEqual([]);
  });

  it('does not send rejected settings and warns about each', async () => {
    const { body, warnings } = await prepare({
      maxOutputTokens: 100,
      temperature: 0.5,
      topP: 0.9,
      topK: 3,
      presencePenalty: 1,
      frequencyPenalty: 1,
      seed: 42,
      stopSequences: ['END'],
    });
    expect(warnings.map(warning => warning.type === 'unsupported' && warning.feature)).toEqual([
      'maxOutputTokens',
      'temperature',
      'topP',
      'topK',
      'presencePenalty',
      'frequencyPenalty',
      'seed',
    ]);
    // Stop sequences are applied to the stream by the model, never sent.
    expect(JSON.stringify(body)).not.toMatch(/max_output_tokens|temperature|top_p|seed|stop/);
  });

  it('maps reasoning, summary, verbosity, service tier, parallel tool calls and cache key', async () => {
    const { body, sessionId } = await prepare(
      { reasoning: 'high' },
      {
        reasoningSummary: 'detailed',
        textVerbosity: 'low',
        serviceTier: 'fast',
        parallelToolCalls: false,
        promptCacheKey: 'conversation-42',
      },
    );
    expect(body).toMatchObject({
      reasoning: { effort: 'high', summary: 'detailed' },
      text: { verbosity: 'low' },
      service_tier: 'priority',
      prompt_cache_key: 'conversation-42',
    });
    expect(body.parallel_tool_calls).toBe(false);
    expect(sessionId).toBe('conversation-42');
  });

  it('asks for no summary when told so or when reasoning is off', async () => {
    expect((await prepare({}, { reasoningSummary: 'none' })).body.reasoning).toBeUndefined();
    expect(
      (
        await prepare(
          {},
          { reasoningEffort: 'none' },
          { ...gpt55, supportedReasoningEfforts: ['none', 'low'] },
        )
      ).body.reasoning,
    ).toEqual({ effort: 'none' });
  });

  it('drops what the model does not support, with warnings', async () => {
    const { body, warnings } = await prepare(
      {},
      { reasoningSummary: 'concise', textVerbosity: 'high', serviceTier: 'priority' },
      { ...gpt55, supportsReasoningSummaries: false, supportsVerbosity: false, serviceTiers: [] },
    );
    expect(body.reasoning).toBeUndefined();
    expect(body.text).toBeUndefined();
    expect(body.service_tier).toBeUndefined();
    expect(warnings.map(warning => warning.type === 'unsupported' && warning.feature)).toEqual([
      'reasoningSummary',
      'textVerbosity',
      'serviceTier',
    ]);
  });

  it('sends no service tier for default', async () => {
    expect((await prepare({}, { serviceTier: 'default' })).body.service_tier).toBeUndefined();
  });

  it('uses strict JSON schema output when the schema allows it', async () => {
    const schema = {
      type: 'object' as const,
      properties: { name: { type: 'string' as const } },
      required: ['name'],
      additionalProperties: false,
    };
    const { body, warnings } = await prepare({
      responseFormat: { type: 'json', schema, name: 'person', description: 'A person' },
    });
    expect(body.text).toEqual({
      format: { type: 'json_schema', name: 'person', description: 'A person', schema, strict: true },
    });
    expect(warnings).toEqual([]);
  });

  it('relaxes strict mode with a warning for schemas with optional fields, unless told otherwise', async () => {
    const schema = {
      type: 'object' as const,
      properties: { name: { type: 'string' as const }, nickname: { type: 'string' as const } },
      required: ['name'],
      additionalProperties: false,
    };
    const relaxed = await prepare({ responseFormat: { type: 'json', schema } });
    expect(relaxed.body.text?.format).toMatchObject({ type: 'json_schema', name: 'response', strict: false });
    expect(relaxed.warnings).toEqual([
      expect.objectContaining({ type: 'compatibility', feature: 'strictJsonSchema' }),
    ]);

    const forced = await prepare({ responseFormat: { type: 'json', schema } }, { strictJsonSchema: true });
    expect(forced.body.text?.format).toMatchObject({ strict: true });
    expect(forced.warnings).toEqual([]);

    const off = await prepare(
      { responseFormat: { type: 'json', schema: { ...schema, required: ['name', 'nickname'] } } },
      { strictJsonSchema: false },
    );
    expect(off.body.text?.format).toMatchObject({ strict: false });
  });

  it('asks for a JSON object when no schema is given', async () => {
    expect((await prepare({ responseFormat: { type: 'json' } })).body.text).toEqual({
      format: { type: 'json_object' },
    });
  });

  it('derives the same cache key for every step of a conversation, and a new one for another system prompt', async () => {
    const other = await prepare({
      prompt: [{ role: 'system', content: 'Be long.' }, ...prompt.slice(1)],
    });
    expect(other.sessionId).not.toBe((await prepare()).sessionId);
    const first = await prepare();
    const second = await prepare({
      prompt: [...prompt, { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] }],
    });
    expect(second.sessionId).toBe(first.sessionId);
  });
});

const gpt62sol = bundledModels.find(model => model.id === 'gpt-6.2-sol')!;
const bundledGpt55 = bundledModels.find(model => model.id === 'gpt-5.5')!;
const weatherTool: NonNullable<LanguageModelV4CallOptions['tools']>[number] = {
  type: 'function',
  name: 'weather',
  description: 'The weather in a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const webSearchTool: NonNullable<LanguageModelV4CallOptions['tools']>[number] = {
  type: 'provider',
  id: 'codex.web_search',
  name: 'web_search',
  args: {},
};

function prepareFor(
  modelInfo: CodexModelInfo,
  options: Partial<LanguageModelV4CallOptions> = {},
  codexOptions?: CodexLanguageModelOptions,
) {
  return prepareRequest({
    modelId: modelInfo.id,
    options: { prompt, tools: [weatherTool], toolChoice: { type: 'auto' }, ...options },
    codexOptions,
    modelInfo,
  });
}

describe('prepareRequest: the shape of each model', () => {
  it('sends Responses Lite to gpt-6.2-sol: tools in a leading additional_tools item, the Lite header', async () => {
    const { body, headers, warnings } = await prepareFor(gpt62sol, { tools: [weatherTool, webSearchTool] });
    expect(headers).toEqual({ 'x-openai-internal-codex-responses-lite': 'true' });
    expect(body.tools).toBeUndefined();
    expect(body.instructions).toBeUndefined();
    expect(body.parallel_tool_calls).toBe(false);
    expect(body.tool_choice).toBe('auto');
    expect(body.reasoning).toEqual({ summary: 'auto', context: 'all_turns' });
    expect(body.text).toEqual({ verbosity: 'low' });
    expect(body.input.map(item => [item.type, 'role' in item ? item.role : undefined])).toEqual([
      ['additional_tools', 'developer'],
      ['message', 'developer'],
      ['message', 'user'],
    ]);
    expect(body.input[0]).toEqual({
      type: 'additional_tools',
      id: expect.stringMatching(/^at_[0-9a-f-]{36}$/),
      role: 'developer',
      tools: [
        {
          type: 'namespace',
          name: 'functions',
          description: '',
          tools: [
            {
              type: 'function',
              name: 'weather',
              description: 'The weather in a city',
              parameters: weatherTool.type === 'function' ? weatherTool.inputSchema : {},
              strict: false,
            },
          ],
        },
        // Hosted tools keep working under Lite, beside the namespace.
        { type: 'web_search' },
      ],
    });
    expect(warnings).toEqual([]);
  });

  it('sends the classic shape to gpt-5.5, never with the Lite header', async () => {
    const { body, headers } = await prepareFor(bundledGpt55);
    expect(headers).toEqual({});
    expect(body.tools?.map(tool => tool.type)).toEqual(['function']);
    expect(body.parallel_tool_calls).toBe(true);
    expect(body.reasoning).toEqual({ summary: 'auto' });
    expect(body.input.map(item => item.type)).toEqual(['message', 'message']);
    expect(body.input[0]).toMatchObject({ role: 'developer' });
  });

  it('takes the Lite shape from the catalog entry, for every 0.171 model', async () => {
    for (const model of bundledModels) {
      const { body, headers } = await prepareFor(model);
      expect(body.input[0]?.type === 'additional_tools', model.id).toBe(model.useResponsesLite === true);
      expect(headers['x-openai-internal-codex-responses-lite'], model.id).toBe(
        model.useResponsesLite ? 'true' : undefined,
      );
    }
    expect(bundledModels.filter(model => !model.useResponsesLite).map(model => model.id)).toEqual([
      'gpt-5.5',
    ]);
  });

  it('lets the caller choose parallel tool calls, and sends the instructions option as the top-level field', async () => {
    const { body } = await prepareFor(
      gpt62sol,
      {},
      { parallelToolCalls: true, instructions: 'Be a pirate.' },
    );
    expect(body.parallel_tool_calls).toBe(true);
    expect(body.instructions).toBe('Be a pirate.');
    expect(body.input[1]).toMatchObject({ role: 'developer', content: [{ text: 'Be brief.' }] });
  });

  it('replays tool calls in the functions namespace under Lite, their outputs as the CLI does', async () => {
    const { body } = await prepareFor(gpt62sol, {
      prompt: [
        ...prompt,
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_1',
              toolName: 'weather',
              output: { type: 'text', value: 'sunny' },
            },
          ],
        },
      ],
    });
    expect(body.input.slice(3)).toEqual([
      {
        type: 'function_call',
        call_id: 'call_1',
        name: 'weather',
        namespace: 'functions',
        arguments: '{"city":"Paris"}',
      },
      {
        type: 'function_call_output',
        id: expect.stringMatching(/^fco_[0-9a-f-]{36}$/),
        call_id: 'call_1',
        output: 'sunny',
      },
    ]);
  });

  it('gives input items client ids that stay the same on later steps, so the cached prefix does not change', async () => {
    const first = await prepareFor(gpt62sol);
    const second = await prepareFor(gpt62sol, {
      prompt: [
        ...prompt,
        { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
        { role: 'user', content: [{ type: 'text', text: 'And now?' }] },
      ],
    });
    const ids = (body: typeof first.body) => body.input.map(item => ('id' in item ? item.id : undefined));
    expect(ids(first.body)).toEqual([
      expect.stringMatching(/^at_/),
      expect.stringMatching(/^msg_/),
      expect.stringMatching(/^msg_/),
    ]);
    expect(ids(second.body).slice(0, 3)).toEqual(ids(first.body));
    expect(JSON.stringify(second.body.input).startsWith(JSON.stringify(first.body.input).slice(0, -1))).toBe(
      true,
    );
    expect(new Set(ids(second.body)).size).toBe(5);

    // A different history before an item gives it a different id.
    const other = await prepareFor(gpt62sol, {
      prompt: [{ role: 'system', content: 'Be long.' }, ...prompt.slice(1)],
    });
    expect(ids(other.body)[2]).not.toBe(ids(first.body)[2]);
  });
});

describe('prepareRequest: reasoning effort and verbosity per catalog entry', () => {
  it('sends ultra as the model’s multi-agent effort, else max, and falls back with a warning where ultra is missing', async () => {
    for (const model of bundledModels) {
      const { body, warnings } = await prepareFor(model, {}, { reasoningEffort: 'ultra' });
      const hasUltra = model.supportedReasoningEfforts.includes('ultra');
      const expected = hasUltra
        ? (model.multiAgentReasoningEffort ?? 'max')
        : model.supportedReasoningEfforts.at(-1);
      expect(body.reasoning?.effort, model.id).toBe(expected);
      expect(warnings.length, model.id).toBe(hasUltra ? 0 : 1);
    }
    const effortOf = async (id: string) =>
      (await prepareFor(bundledModels.find(model => model.id === id)!, {}, { reasoningEffort: 'ultra' })).body
        .reasoning?.effort;
    expect(await effortOf('gpt-6.2-sol')).toBe('xhigh');
    expect(await effortOf('gpt-6-sol')).toBe('max');
    expect(await effortOf('gpt-6-luna')).toBe('max');
    expect(await effortOf('gpt-5.5')).toBe('xhigh');
  });

  it('sends the model’s default verbosity unless the caller picks one', async () => {
    for (const model of bundledModels) {
      const { body } = await prepareFor(model);
      expect(body.text?.verbosity, model.id).toBe(model.defaultVerbosity);
    }
    const red = bundledModels.find(model => model.id === 'gpt-daybreak-red-latest')!;
    expect((await prepareFor(red)).body.text).toEqual({ verbosity: 'high' });
    expect((await prepareFor(red, {}, { textVerbosity: 'low' })).body.text).toEqual({ verbosity: 'low' });
  });
});

describe('parseCodexOptions', () => {
  it('reads providerOptions.codex and rejects invalid values', async () => {
    expect(await parseCodexOptions({ codex: { reasoningEffort: 'high' } })).toEqual({
      reasoningEffort: 'high',
    });
    expect(await parseCodexOptions({ openai: { reasoningEffort: 'high' } })).toBeUndefined();
    await expect(parseCodexOptions({ codex: { textVerbosity: 'loud' } })).rejects.toThrow(
      /invalid codex provider options/,
    );
  });
});
