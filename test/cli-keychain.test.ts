import { stat } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodexEmulator, startCodexEmulator } from '../src/testing';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli, startCli } from './support/cli-process';

// A real Secret Service: gnome-keyring in a private D-Bus session per CLI run (installed by .ci/run).
let emulator: CodexEmulator;
let sandbox: Awaited<ReturnType<typeof createCliSandbox>>;

beforeAll(async () => {
  emulator = await startCodexEmulator({
    account: { email: 'kim@example.com', accountId: 'acc-keychain' },
    deviceCodeIntervalSeconds: 1,
  });
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(async () => {
  await sandbox?.cleanup();
});

describe('login --store keychain', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('saves the login in the OS keychain, where status finds it, and logout removes it', async () => {
    sandbox = await createCliSandbox(emulator);
    const cli = startCli(['login', '--device', '--store', 'keychain'], sandbox.env, { keyring: true });
    cli.child.stdin.end();
    const [, userCode] = await cli.waitFor(/^\s+([A-Z0-9]{4}-[A-Z0-9]{5})\s*$/m);
    expect(emulator.approveDeviceCode(userCode!)).toBe(true);
    const login = await cli.exited;
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('Saved to OS keychain entry "ai-sdk-provider-codex" / "default"');
    await expect(stat(sandbox.authJsonPath)).rejects.toThrow(/ENOENT/);

    // Found by auto-detection (no auth.json), in a new session of the same keyring.
    const status = await runCli(['status', '--json'], sandbox.env, { keyring: true });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      loggedIn: true,
      source: 'OS keychain entry "ai-sdk-provider-codex" / "default"',
      accountId: 'acc-keychain',
      email: 'kim@example.com',
      canRefresh: true,
    });

    const logout = await runCli(['logout', '--store', 'keychain'], sandbox.env, { keyring: true });
    expect(logout.code, logout.stderr).toBe(0);
    expect(emulator.requestsTo('revoke')).toHaveLength(1);
    const after = await runCli(['status', '--store', 'keychain'], sandbox.env, { keyring: true });
    expect(after.code).toBe(3);
  });
});
