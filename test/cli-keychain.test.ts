import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodexEmulator, startCodexEmulator } from '../src/testing';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli, startCli, WITH_KEYRING } from './support/cli-process';

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

describe('login --store keychain over another account', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  async function deviceLogin(env: Record<string, string>, ...args: string[]) {
    const cli = startCli(['login', '--device', '--store', 'keychain', ...args], env, { keyring: true });
    cli.child.stdin.end();
    const [, userCode] = await cli.waitFor(/^\s+([A-Z0-9]{4}-[A-Z0-9]{5})\s*$/m);
    return { cli, userCode: userCode! };
  }

  /** Reads one entry of this sandbox's keyring, as another program would. */
  async function readEntry(account: string): Promise<string> {
    const script = `import('@napi-rs/keyring').then(async ({ AsyncEntry }) => process.stdout.write(await new AsyncEntry('ai-sdk-provider-codex', ${JSON.stringify(account)}, { linux: { store: 'secret-service' } }).getPassword() ?? ''))`;
    const [file, ...args] = [...WITH_KEYRING, process.execPath, '-e', script];
    const { stdout } = await promisify(execFile)(file!, args, {
      env: { ...sandbox.env },
      cwd: process.cwd(),
    });
    return stdout;
  }

  it('stops without --force; with --force keeps the old login in a backup entry', async () => {
    sandbox = await createCliSandbox(emulator);
    // The first login comes from another issuer, for another account.
    await using other = await startCodexEmulator({
      account: { email: 'old@example.com', accountId: 'acc-old' },
      deviceCodeIntervalSeconds: 1,
    });
    const first = await deviceLogin({ ...sandbox.env, CODEX_AUTH_ISSUER: other.issuer });
    expect(other.approveDeviceCode(first.userCode)).toBe(true);
    expect((await first.cli.exited).code).toBe(0);
    const before = await readEntry('default');
    expect(JSON.parse(before).tokens.account_id).toBe('acc-old');

    const refused = await deviceLogin(sandbox.env);
    expect(emulator.approveDeviceCode(refused.userCode)).toBe(true);
    const refusedResult = await refused.cli.exited;
    expect(refusedResult.code).toBe(2);
    expect(refusedResult.stderr).toMatch(/already holds a login for old@example\.com.*--force/s);
    expect(await readEntry('default')).toBe(before);

    const forced = await deviceLogin(sandbox.env, '--force');
    expect(emulator.approveDeviceCode(forced.userCode)).toBe(true);
    const forcedResult = await forced.cli.exited;
    expect(forcedResult.code, forcedResult.stderr).toBe(0);
    const [, backupAccount] =
      forcedResult.stdout.match(
        /kept in OS keychain entry "ai-sdk-provider-codex" \/ "(default\.backup-[^"]+)"/,
      ) ?? [];
    expect(backupAccount).toBeDefined();
    expect(await readEntry(backupAccount!)).toBe(before);
    expect(JSON.parse(await readEntry('default')).tokens.account_id).toBe('acc-keychain');
  });
});
