import { describe, expect, it } from 'vitest';
import { bundledModels } from './bundled-models';
import { type CodexModelInfo, CodexModelsCatalog, modelsResponseSchema, toModelInfo } from './models-catalog';

const live: CodexModelInfo[] = [{ id: 'gpt-live', supportedReasoningEfforts: ['low'] }];

describe('CodexModelsCatalog', () => {
  it('fetches once per TTL and shares concurrent requests', async () => {
    let now = 0;
    let fetches = 0;
    const catalog = new CodexModelsCatalog({
      fetchModels: async () => {
        fetches++;
        return live;
      },
      isFatal: () => false,
      ttlMs: 1000,
      now: () => now,
    });
    const [first, second] = await Promise.all([catalog.list(), catalog.list()]);
    expect(first).toBe(live);
    expect(second).toBe(live);
    expect(fetches).toBe(1);
    now = 999;
    await catalog.list();
    expect(fetches).toBe(1);
    now = 1000;
    await catalog.list();
    expect(fetches).toBe(2);
  });

  it('falls back to the bundled catalog when the backend cannot be reached', async () => {
    const catalog = new CodexModelsCatalog({
      fetchModels: async () => {
        throw new Error('network down');
      },
      isFatal: () => false,
    });
    expect(await catalog.list()).toBe(bundledModels);
    expect(await catalog.find('gpt-5.5')).toMatchObject({
      supportedReasoningEfforts: ['low', 'medium', 'high', 'xhigh'],
    });
  });

  it('passes fatal errors to list() but not to find()', async () => {
    const catalog = new CodexModelsCatalog({
      fetchModels: async () => {
        throw new Error('not logged in');
      },
      isFatal: () => true,
    });
    await expect(catalog.list()).rejects.toThrow('not logged in');
    expect(await catalog.find('gpt-5.5')).toMatchObject({ id: 'gpt-5.5' });
  });

  it('peeks at what is known without a request', async () => {
    const catalog = new CodexModelsCatalog({ fetchModels: async () => live, isFatal: () => false });
    expect(catalog.peek('gpt-5.5')?.id).toBe('gpt-5.5');
    await catalog.list();
    expect(catalog.peek('gpt-5.5')).toBeUndefined();
    expect(catalog.peek('gpt-live')).toBe(live[0]);
  });
});

describe('toModelInfo', () => {
  it('maps a catalog entry', () => {
    const { models } = modelsResponseSchema.parse({
      models: [
        {
          slug: 'gpt-5.5',
          display_name: 'GPT-5.5',
          default_reasoning_level: 'medium',
          supported_reasoning_levels: [
            { effort: 'low', description: 'x' },
            { effort: 'high', description: 'y' },
          ],
          supports_reasoning_summary_parameter: true,
          support_verbosity: false,
          service_tiers: [{ id: 'priority', name: 'Fast' }],
          context_window: 272000,
          visibility: 'list',
          input_modalities: ['text', 'image'],
          default_verbosity: 'low',
          default_reasoning_summary: 'none',
          multi_agent_reasoning_effort: 'xhigh',
          use_responses_lite: true,
          prefer_websockets: true,
          extra: 'ignored',
        },
      ],
    });
    expect(toModelInfo(models[0]!)).toEqual({
      id: 'gpt-5.5',
      displayName: 'GPT-5.5',
      visibility: 'list',
      contextWindow: 272000,
      defaultReasoningEffort: 'medium',
      supportedReasoningEfforts: ['low', 'high'],
      supportsReasoningSummaries: true,
      supportsVerbosity: false,
      defaultVerbosity: 'low',
      defaultReasoningSummary: 'none',
      multiAgentReasoningEffort: 'xhigh',
      useResponsesLite: true,
      preferWebsockets: true,
      serviceTiers: ['priority'],
      inputModalities: ['text', 'image'],
    });
  });
});
