import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import { createProviderRegistry, customProvider, generateText } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codex as defaultCodex } from '../src/codex-provider';
import { textTurn } from '../src/testing';
import { useCodexProviderPerTest } from './support/codex-provider-setup';

const savedEnv = { ...process.env };

beforeEach(() => {
  delete process.env.CODEX_BASE_URL;
  delete process.env.CODEX_ACCESS_TOKEN;
  delete process.env.CODEX_HOME;
});
afterEach(() => {
  process.env = { ...savedEnv };
  globalThis.AI_SDK_DEFAULT_PROVIDER = undefined;
});
const setup = useCodexProviderPerTest();

describe('swapping providers by configuration', () => {
  it('works in createProviderRegistry next to @ai-sdk/openai', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(textTurn('From the registry.'));
    const registry = createProviderRegistry({ codex, openai: createOpenAI({ apiKey: 'unused' }) });

    const result = await generateText({ model: registry.languageModel('codex:gpt-5.5'), prompt: 'Hi' });

    expect(result.text).toBe('From the registry.');
    expect(registry.languageModel('openai:gpt-5.5').provider).toBe('openai.responses');
    expect(registry.languageModel('codex:gpt-5.5').provider).toBe('codex.responses');
  });

  it('works in customProvider with aliases and as a fallback', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(textTurn('alias'), textTurn('fallback'));
    const provider = customProvider({
      languageModels: { fast: codex('gpt-6-luna') },
      fallbackProvider: codex,
    });

    expect((await generateText({ model: provider.languageModel('fast'), prompt: 'Hi' })).text).toBe('alias');
    expect((await generateText({ model: provider.languageModel('gpt-5.5'), prompt: 'Hi' })).text).toBe(
      'fallback',
    );
    expect(responseBodies().map(body => body.model)).toEqual(['gpt-6-luna', 'gpt-5.5']);
  });

  it('works as the global default provider, so a plain model string selects it', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(textTurn('Global.'));
    globalThis.AI_SDK_DEFAULT_PROVIDER = codex;

    expect((await generateText({ model: 'gpt-5.5', prompt: 'Hi' })).text).toBe('Global.');
  });

  it('the default codex instance reads CODEX_BASE_URL and the Codex CLI login on the first request', async () => {
    const { emulator, login } = await setup();
    const codexHome = await mkdtemp(path.join(tmpdir(), 'codex-home-'));
    try {
      await writeFile(path.join(codexHome, 'auth.json'), JSON.stringify(emulator.authJson(login)), {
        mode: 0o600,
      });
      process.env.CODEX_HOME = codexHome;
      process.env.CODEX_BASE_URL = emulator.baseURL;
      emulator.enqueue(textTurn('Detected.'));

      expect((await generateText({ model: defaultCodex('gpt-5.5'), prompt: 'Hi' })).text).toBe('Detected.');
      expect(emulator.requestsTo('responses')[0]?.headers.authorization).toBe(`Bearer ${login.accessToken}`);
    } finally {
      await rm(codexHome, { recursive: true, force: true });
    }
  });
});
