import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
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
      'instructions',
      'input',
      'reasoning',
      'store',
      'stream',
      'include',
      'prompt_cache_key',
    ]);
    expect(body).toMatchObject({
      model: 'gpt-5.5',
      instructions: 'Be brief.',
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

  it('derives the same cache key for every step of a conversation', async () => {
    const first = await prepare();
    const second = await prepare({
      prompt: [...prompt, { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] }],
    });
    expect(second.sessionId).toBe(first.sessionId);
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
