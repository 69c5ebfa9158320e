import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodexEmulator, type EmulatorLogin, startCodexEmulator } from '../src/testing';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli } from './support/cli-process';

let emulator: CodexEmulator;
let sandbox: Awaited<ReturnType<typeof createCliSandbox>>;

beforeAll(async () => {
  emulator = await startCodexEmulator();
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(async () => {
  await sandbox?.cleanup();
});

/** Signs in through this CLI (an import is the quickest non-interactive way), so the login is ours. */
async function loginThroughCli(): Promise<{ refreshToken: string; login: EmulatorLogin }> {
  const login = await emulator.login({ email: 'lin@example.com' });
  const source = join(sandbox.root, '.pi', 'agent', 'auth.json');
  await mkdir(dirname(source), { recursive: true });
  await writeFile(
    source,
    JSON.stringify({
      'openai-codex': {
        type: 'oauth',
        access: login.accessToken,
        refresh: login.refreshToken,
        accountId: login.accountId,
      },
    }),
  );
  const imported = await runCli(['import', 'pi'], sandbox.env);
  expect(imported.code, imported.stderr).toBe(0);
  const saved = JSON.parse(await readFile(sandbox.authJsonPath, 'utf8'));
  return { refreshToken: saved.tokens.refresh_token, login };
}

describe('logout', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('revokes the refresh token and removes the login this CLI saved', async () => {
    sandbox = await createCliSandbox(emulator);
    const { refreshToken } = await loginThroughCli();

    const result = await runCli(['logout'], sandbox.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Logged out lin@example.com`);
    await expect(stat(sandbox.authJsonPath)).rejects.toThrow(/ENOENT/);
    expect(emulator.requestsTo('revoke').at(-1)?.body).toMatchObject({
      token: refreshToken,
      token_type_hint: 'refresh_token',
      client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
    });
    expect(result.stdout + result.stderr).not.toContain(refreshToken);

    const again = await runCli(['logout'], sandbox.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Not logged in');
  });

  it('leaves a login it did not save alone (e.g. the Codex CLI’s), unless --force', async () => {
    sandbox = await createCliSandbox(emulator);
    const codexLogin = `${JSON.stringify(emulator.authJson(await emulator.login({ email: 'cli@example.com' })), null, 2)}\n`;
    await writeFile(sandbox.authJsonPath, codexLogin, { mode: 0o600 });
    const revokesBefore = emulator.requestsTo('revoke').length;

    const refused = await runCli(['logout'], sandbox.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /cli@example\.com \(.*\) that ai-sdk-provider-codex did not save.*codex logout.*--force/s,
    );
    expect(await readFile(sandbox.authJsonPath, 'utf8')).toBe(codexLogin);
    expect(emulator.requestsTo('revoke').length).toBe(revokesBefore);

    const forced = await runCli(['logout', '--force'], sandbox.env);
    expect(forced.code, forced.stderr).toBe(0);
    await expect(stat(sandbox.authJsonPath)).rejects.toThrow(/ENOENT/);
  });

  it('still removes the local login when the revoke endpoint cannot be reached, and says so', async () => {
    sandbox = await createCliSandbox(emulator);
    await loginThroughCli();
    const result = await runCli(['logout'], {
      ...sandbox.env,
      CODEX_REVOKE_TOKEN_URL_OVERRIDE: 'http://127.0.0.1:9/oauth/revoke',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /could not be revoked \(could not reach http:\/\/127\.0\.0\.1:9\/oauth\/revoke\)/,
    );
    await expect(stat(sandbox.authJsonPath)).rejects.toThrow(/ENOENT/);
  });
});
