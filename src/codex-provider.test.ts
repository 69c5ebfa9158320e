import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APICallError, InvalidArgumentError, NoSuchModelError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { useCodexProviderPerTest } from '../test/support/codex-provider-setup';
import { bundledModels } from './backend/bundled-models';
import { codex, createCodex } from './codex-provider';
import { httpError } from './testing';

const startProvider = useCodexProviderPerTest();

const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] }];

describe('createCodex', () => {
  it('returns language models and refuses other model kinds', () => {
    const model = codex('gpt-5.5');
    expect(model).toMatchObject({
      specificationVersion: 'v4',
      provider: 'codex.responses',
      modelId: 'gpt-5.5',
    });
    expect(codex.languageModel('any-id-string').modelId).toBe('any-id-string');
    expect(() => codex.embeddingModel('x')).toThrow(NoSuchModelError);
    expect(() => codex.imageModel('x')).toThrow(NoSuchModelError);
    expect(() => new (codex as unknown as new (id: string) => unknown)('gpt-5.5')).toThrow(/new keyword/);
  });

  it('offers the provider tools', () => {
    expect(codex.tools.webSearch({ externalWebAccess: true })).toMatchObject({
      type: 'provider',
      id: 'codex.web_search',
      args: { externalWebAccess: true },
    });
    expect(codex.tools.customTool({ description: 'Patch' })).toMatchObject({
      type: 'provider',
      id: 'codex.custom',
    });
  });

  it('rejects an empty access token on the first request, saying what to pass', async () => {
    const model = createCodex({ baseURL: 'http://127.0.0.1:9', auth: { accessToken: '' } })('gpt-5.5');
    await expect(model.doGenerate({ prompt })).rejects.toSatisfy(
      error => InvalidArgumentError.isInstance(error) && /accessToken is empty/.test(error.message),
    );
  });

  it('detects the login on each request until one is found', async () => {
    const codexHome = await mkdtemp(path.join(tmpdir(), 'codex-home-'));
    const saved = { ...process.env };
    try {
      process.env.CODEX_HOME = codexHome;
      delete process.env.CODEX_ACCESS_TOKEN;
      delete process.env.CODEX_REFRESH_TOKEN;
      const model = createCodex({ baseURL: 'http://127.0.0.1:9' })('gpt-5.5');
      await expect(model.doGenerate({ prompt })).rejects.toThrow(/no ChatGPT login found/);
      await expect(model.doGenerate({ prompt })).rejects.toThrow(/no ChatGPT login found/);
    } finally {
      process.env = saved;
      await rm(codexHome, { recursive: true, force: true });
    }
  });
});

describe('listModels', () => {
  it('reads the live catalog once and serves it from the cache', async () => {
    const setup = await startProvider();

    const models = await setup.codex.listModels();
    await setup.codex.listModels();

    expect(models.map(model => model.id)).toEqual(expect.arrayContaining(['gpt-6.2-sol', 'gpt-5.5']));
    expect(models.find(model => model.id === 'gpt-5.5')).toMatchObject({
      supportedReasoningEfforts: ['low', 'medium', 'high', 'xhigh'],
      defaultReasoningEffort: 'medium',
    });
    const requests = setup.emulator.requestsTo('models');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${setup.login.accessToken}`);
    expect(requests[0]?.query.client_version).toBe('0.171.0');
  });

  it('falls back to the bundled catalog when the backend fails', async () => {
    const setup = await startProvider();
    setup.emulator.fault(httpError(500, { detail: 'down' }), { route: 'models' });

    expect(await setup.codex.listModels()).toEqual(bundledModels);
  });

  it('reports rejected credentials instead of falling back', async () => {
    const setup = await startProvider();
    setup.emulator.expireAccessToken(setup.login.accessToken);

    await expect(setup.codex.listModels()).rejects.toSatisfy(
      error => APICallError.isInstance(error) && error.statusCode === 401,
    );
  });
});
