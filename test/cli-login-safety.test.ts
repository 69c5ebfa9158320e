import { chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodexEmulator, EmulatorLogin, LoginOptions } from '../src/testing';
import { startEmulatorWithExpiredLogins } from './support/auth-harness';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli, startCli } from './support/cli-process';

// Nothing the user had is lost: every case checks the exit code and the files byte for byte.
let emulator: CodexEmulator;
let expiredLogin: (account?: LoginOptions) => Promise<EmulatorLogin>;
let sandbox: Awaited<ReturnType<typeof createCliSandbox>>;

beforeAll(async () => {
  ({ emulator, expiredLogin } = await startEmulatorWithExpiredLogins({
    account: { email: 'ada@example.com', planType: 'pro', accountId: 'acc-new' },
    deviceCodeIntervalSeconds: 1,
  }));
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(async () => {
  await sandbox?.cleanup();
});

const authJsonText = (login: EmulatorLogin) => `${JSON.stringify(emulator.authJson(login), null, 2)}\n`;

/** `login --device` with the code approved as soon as it is shown. */
async function deviceLogin(...args: string[]) {
  const cli = startCli(['login', '--device', ...args], sandbox.env);
  const [, userCode] = await cli.waitFor(/^\s+([A-Z0-9]{4}-[A-Z0-9]{5})\s*$/m);
  expect(emulator.approveDeviceCode(userCode!)).toBe(true);
  return cli.exited;
}

const status = (...args: string[]) => runCli(['status', '--no-usage', ...args], sandbox.env);

describe('login over an existing login', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('of another account: refuses without --force and leaves auth.json byte for byte', async () => {
    sandbox = await createCliSandbox(emulator);
    const existing = authJsonText(await emulator.login({ accountId: 'acc-old', email: 'old@example.com' }));
    await writeFile(sandbox.authJsonPath, existing, { mode: 0o600 });

    const result = await deviceLogin();

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /already holds a login for old@example\.com.*You signed in as ada@example\.com.*Nothing was changed.*--force/s,
    );
    expect(await readFile(sandbox.authJsonPath, 'utf8')).toBe(existing);
    expect((await readdir(sandbox.codexHome)).filter(name => name.includes('backup'))).toEqual([]);
  });

  it('of another account with --force: replaces it and keeps the old one in a backup', async () => {
    sandbox = await createCliSandbox(emulator);
    const existing = authJsonText(await emulator.login({ accountId: 'acc-old', email: 'old@example.com' }));
    await writeFile(sandbox.authJsonPath, existing, { mode: 0o600 });

    const result = await deviceLogin('--force');

    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(sandbox.authJsonPath, 'utf8')).tokens.account_id).toBe('acc-new');
    const backups = (await readdir(sandbox.codexHome)).filter(name => name.startsWith('auth.json.backup-'));
    expect(backups).toHaveLength(1);
    const backup = join(sandbox.codexHome, backups[0]!);
    expect(await readFile(backup, 'utf8')).toBe(existing);
    expect((await stat(backup)).mode & 0o777).toBe(0o600);
    expect(result.stdout).toContain(`kept in ${backup}`);
  });

  it('of the same account: replaces it without --force (signing in again)', async () => {
    sandbox = await createCliSandbox(emulator);
    const old = await emulator.login({ accountId: 'acc-new' });
    await writeFile(sandbox.authJsonPath, authJsonText(old), { mode: 0o600 });

    const result = await deviceLogin();

    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(sandbox.authJsonPath, 'utf8')).tokens.refresh_token).not.toBe(
      old.refreshToken,
    );
    expect((await readdir(sandbox.codexHome)).filter(name => name.includes('backup'))).toEqual([]);
  });
});

describe('auth.json and auth.lock as the user keeps them', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('a symlinked auth.json is refreshed through the link: the target gets the tokens, the link stays', async () => {
    sandbox = await createCliSandbox(emulator);
    const login = await expiredLogin({ accountId: 'acc-link' });
    const dotfiles = join(sandbox.root, 'dotfiles');
    await mkdir(dotfiles);
    const target = join(dotfiles, 'codex-auth.json');
    await writeFile(target, authJsonText(login), { mode: 0o600 });
    await symlink('../dotfiles/codex-auth.json', sandbox.authJsonPath);

    const result = await status('--json');

    expect(result.code, result.stderr).toBe(0);
    expect((await lstat(sandbox.authJsonPath)).isSymbolicLink()).toBe(true);
    expect(await readlink(sandbox.authJsonPath)).toBe('../dotfiles/codex-auth.json');
    const stored = JSON.parse(await readFile(target, 'utf8'));
    expect(stored.tokens.refresh_token).not.toBe(login.refreshToken);
    expect(emulator.counters.refreshes).toBeGreaterThan(0);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('a symlinked auth.lock pointing nowhere is not followed to create a file, and nothing is changed', async () => {
    sandbox = await createCliSandbox(emulator);
    const existing = authJsonText(await expiredLogin({ accountId: 'acc-lock' }));
    await writeFile(sandbox.authJsonPath, existing, { mode: 0o600 });
    const planted = join(sandbox.root, 'elsewhere', 'created-by-lock');
    await mkdir(join(sandbox.root, 'elsewhere'));
    await symlink(planted, join(sandbox.codexHome, 'auth.lock'));

    const result = await status();

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/auth\.lock is a symbolic link to a file that does not exist.*rm /);
    expect(await readdir(join(sandbox.root, 'elsewhere'))).toEqual([]);
    expect(await readFile(sandbox.authJsonPath, 'utf8')).toBe(existing);
  });

  it('a symlinked auth.lock pointing at an existing file is locked through the link', async () => {
    sandbox = await createCliSandbox(emulator);
    await writeFile(sandbox.authJsonPath, authJsonText(await expiredLogin({ accountId: 'acc-lock2' })), {
      mode: 0o600,
    });
    const lockTarget = join(sandbox.root, 'shared.lock');
    await writeFile(lockTarget, '');
    await symlink(lockTarget, join(sandbox.codexHome, 'auth.lock'));

    const result = await status('--json');

    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).accountId).toBe('acc-lock2');
    expect((await lstat(join(sandbox.codexHome, 'auth.lock'))).isSymbolicLink()).toBe(true);
  });

  it('an auth.json saved with a UTF-8 byte-order mark is read', async () => {
    sandbox = await createCliSandbox(emulator);
    await writeFile(
      sandbox.authJsonPath,
      `\uFEFF${authJsonText(await emulator.login({ accountId: 'acc-bom' }))}`,
      {
        mode: 0o600,
      },
    );

    const result = await status('--json');

    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ loggedIn: true, accountId: 'acc-bom' });
  });

  it('an auth.json that is a directory gets a typed error naming it, and stays as it was', async () => {
    sandbox = await createCliSandbox(emulator);
    await mkdir(sandbox.authJsonPath);
    await writeFile(join(sandbox.authJsonPath, 'keep.txt'), 'mine');

    const result = await status('--json');
    const login = await deviceLogin();

    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ loggedIn: false, reason: 'malformed' });
    expect(result.stderr).toContain(`(${sandbox.authJsonPath}): is a directory, not a file`);
    expect(login.code).toBe(2);
    expect(login.stderr).toContain('is a directory, not a file');
    expect((await stat(sandbox.authJsonPath)).isDirectory()).toBe(true);
    expect(await readFile(join(sandbox.authJsonPath, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('status warns when CODEX_HOME or auth.json can be written by other users, and changes neither', async () => {
    sandbox = await createCliSandbox(emulator);
    await writeFile(sandbox.authJsonPath, authJsonText(await emulator.login({ accountId: 'acc-perm' })));
    await chmod(sandbox.codexHome, 0o700);
    await chmod(sandbox.authJsonPath, 0o600);
    const clean = await status();
    await chmod(sandbox.codexHome, 0o777);
    await chmod(sandbox.authJsonPath, 0o664);
    const loose = await status();

    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).not.toContain('warning');
    expect(loose.code, loose.stderr).toBe(0);
    expect(loose.stderr).toContain(`warning: ${sandbox.codexHome} can be written by other users (mode 0777)`);
    expect(loose.stderr).toContain(
      `warning: ${sandbox.authJsonPath} can be written by other users (mode 0664)`,
    );
    expect(loose.stderr).toContain(`chmod go-w ${sandbox.authJsonPath}`);
    expect(loose.stdout).toContain('Logged in with ChatGPT');
    expect((await stat(sandbox.codexHome)).mode & 0o777).toBe(0o777);
    expect((await stat(sandbox.authJsonPath)).mode & 0o777).toBe(0o664);
  });
});
