import { writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodexEmulator, defaultModelsCatalog, startCodexEmulator } from '../src/testing';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli } from './support/cli-process';

let emulator: CodexEmulator;
let sandbox: Awaited<ReturnType<typeof createCliSandbox>>;

beforeAll(async () => {
  emulator = await startCodexEmulator();
  const [first] = defaultModelsCatalog();
  // A model only the live catalog has, so the listing cannot come from the bundled one.
  emulator.setModels([
    ...defaultModelsCatalog(),
    { ...first!, slug: 'gpt-live-only', display_name: 'Live only' },
  ]);
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(async () => {
  await sandbox?.cleanup();
});

describe('models', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('lists the live catalog of the logged-in account, hidden models only with --all', async () => {
    sandbox = await createCliSandbox(emulator);
    const login = await emulator.login();
    await writeFile(sandbox.authJsonPath, JSON.stringify(emulator.authJson(login)), { mode: 0o600 });

    const listed = await runCli(['models', '--json'], sandbox.env);
    expect(listed.code, listed.stderr).toBe(0);
    const ids = JSON.parse(listed.stdout).map((model: { id: string }) => model.id);
    const listedModels = defaultModelsCatalog().filter(model => model.visibility === 'list');
    expect(ids).toEqual([...listedModels.map(model => model.slug), 'gpt-live-only']);
    expect(ids).toContain('gpt-6.2-sol');
    expect(ids).not.toContain('codex-auto-review');
    expect(emulator.requestsTo('models').at(-1)?.headers).toMatchObject({
      authorization: `Bearer ${login.accessToken}`,
      'chatgpt-account-id': login.accountId,
    });

    const all = await runCli(['models', '--json', '--all'], sandbox.env);
    expect(JSON.parse(all.stdout).map((model: { id: string }) => model.id)).toEqual([
      ...defaultModelsCatalog().map(model => model.slug),
      'gpt-live-only',
    ]);

    const table = await runCli(['models'], sandbox.env);
    expect(table.stdout).toMatch(/^gpt-live-only\s+\S*\s+low, medium, high/m);
  });

  it('exits 3 with what to do when there is no login', async () => {
    sandbox = await createCliSandbox(emulator);
    const result = await runCli(['models'], sandbox.env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('ai-sdk-provider-codex login');
  });
});
