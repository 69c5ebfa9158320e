import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodexEmulator, type EmulatorLogin, startCodexEmulator } from '../src/testing';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli } from './support/cli-process';
import { ensureCodexCli, runCodex } from './support/codex-cli';

let emulator: CodexEmulator;
let codexBin: string;
let sandbox: Awaited<ReturnType<typeof createCliSandbox>>;

// The first use installs the Codex CLI (about 420 MB) into a cache outside the repo: allow minutes.
beforeAll(async () => {
  codexBin = await ensureCodexCli();
  emulator = await startCodexEmulator();
}, 15 * 60_000);
afterAll(async () => {
  await emulator?.close();
});
afterEach(async () => {
  await sandbox?.cleanup();
});

/** Each tool's file, where the tool keeps it under HOME, in the format of credentials.md §4. */
const TOOL_FILES = {
  opencode: {
    path: (home: string) => join(home, '.local', 'share', 'opencode', 'auth.json'),
    content: (login: EmulatorLogin) => ({
      anthropic: { type: 'api', key: 'sk-ant-unrelated' },
      openai: {
        type: 'oauth',
        refresh: login.refreshToken,
        access: login.accessToken,
        expires: login.accessTokenExpiresAt.getTime(),
        accountId: login.accountId,
      },
    }),
  },
  pi: {
    path: (home: string) => join(home, '.pi', 'agent', 'auth.json'),
    content: (login: EmulatorLogin) => ({
      'openai-codex': {
        type: 'oauth',
        access: login.accessToken,
        refresh: login.refreshToken,
        expires: login.accessTokenExpiresAt.getTime(),
        accountId: login.accountId,
      },
    }),
  },
  openclaw: {
    path: (home: string) => join(home, '.openclaw', 'agents', 'main', 'agent', 'auth-profiles.json'),
    content: (login: EmulatorLogin) => ({
      version: 1,
      profiles: {
        'openai-codex:default': {
          type: 'oauth',
          provider: 'openai-codex',
          access: login.accessToken,
          refresh: login.refreshToken,
          expires: login.accessTokenExpiresAt.getTime(),
          accountId: login.accountId,
          email: login.email,
        },
      },
      order: { 'openai-codex': ['openai-codex:default'] },
      lastGood: { 'openai-codex': 'openai-codex:default' },
      usageStats: {},
    }),
  },
  chatmock: {
    path: (home: string) => join(home, '.chatgpt-local', 'auth.json'),
    content: (login: EmulatorLogin) => ({
      OPENAI_API_KEY: null,
      tokens: {
        id_token: login.idToken,
        access_token: login.accessToken,
        refresh_token: login.refreshToken,
        account_id: login.accountId,
      },
      last_refresh: new Date().toISOString(),
    }),
  },
} as const;

async function writeJson(path: string, content: unknown) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2), {
    mode: 0o600,
  });
}

async function refreshWith(refreshToken: string) {
  const response = await fetch(emulator.tokenURL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('import', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  for (const tool of Object.keys(TOOL_FILES) as Array<keyof typeof TOOL_FILES>) {
    it(`${tool}: moves the login from the tool's default file into a working Codex auth.json`, async () => {
      sandbox = await createCliSandbox(emulator);
      const login = await emulator.login({ email: `${tool}@example.com` });
      const file = TOOL_FILES[tool];
      const sourcePath = file.path(sandbox.root);
      await writeJson(sourcePath, file.content(login));

      const result = await runCli(['import', tool], sandbox.env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Imported ${tool}@example.com`);
      expect(result.stdout).toContain(sourcePath);
      // The user is told what copying a login means for the other tool.
      expect(result.stderr).toMatch(/single-use.*copy is now spent.*sign in again/s);

      expect((await stat(sandbox.authJsonPath)).mode & 0o777).toBe(0o600);
      const saved = JSON.parse(await readFile(sandbox.authJsonPath, 'utf8'));
      expect(saved).toMatchObject({ auth_mode: 'chatgpt', tokens: { account_id: login.accountId } });
      // Renewed once: the stored refresh token is the rotated one, and the tool's copy is spent.
      expect(saved.tokens.refresh_token).not.toBe(login.refreshToken);
      expect(saved.tokens.id_token).toMatch(/^eyJ/);
      expect((await refreshWith(login.refreshToken)).body).toMatchObject({
        error: { code: 'refresh_token_reused' },
      });
      expect(result.stdout + result.stderr).not.toContain(saved.tokens.refresh_token);

      // A working login: the Codex CLI reads it, and the backend accepts it.
      const codex = await runCodex(codexBin, ['login', 'status'], {
        codexHome: sandbox.codexHome,
        cwd: sandbox.root,
      });
      expect(codex.stdout + codex.stderr).toContain('Logged in using ChatGPT');
      const status = await runCli(['status', '--json'], sandbox.env);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: true, accountId: login.accountId });
    });
  }

  it('takes an explicit path', async () => {
    sandbox = await createCliSandbox(emulator);
    const login = await emulator.login();
    const sourcePath = join(sandbox.root, 'elsewhere.json');
    await writeJson(sourcePath, TOOL_FILES.pi.content(login));
    const result = await runCli(
      ['import', 'pi', sourcePath, '--file', join(sandbox.root, 'mine.json')],
      sandbox.env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(sandbox.root, 'mine.json'), 'utf8')).tokens.account_id).toBe(
      login.accountId,
    );
  });
});

describe('import: bad input changes nothing', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  async function setup() {
    sandbox = await createCliSandbox(emulator);
    return { login: await emulator.login(), sourcePath: TOOL_FILES.opencode.path(sandbox.root) };
  }

  it('a malformed file: names it and exits 2, without echoing its content', async () => {
    const { sourcePath } = await setup();
    await writeJson(sourcePath, '{"openai": {"type": "oauth", "refresh": "rt-should-not-print');
    const result = await runCli(['import', 'opencode'], sandbox.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`opencode auth.json (${sourcePath}): is not valid JSON`);
    expect(result.stderr).not.toContain('rt-should-not-print');
    await expect(stat(sandbox.authJsonPath)).rejects.toThrow(/ENOENT/);
  });

  it('a file without a ChatGPT entry, and a missing file', async () => {
    const { sourcePath } = await setup();
    await writeJson(sourcePath, { anthropic: { type: 'api', key: 'k' } });
    const noEntry = await runCli(['import', 'opencode'], sandbox.env);
    expect(noEntry.code).toBe(3);
    expect(noEntry.stderr).toMatch(/no "openai" entry.*opencode auth login/);

    const missing = await runCli(['import', 'pi'], sandbox.env);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/pi auth\.json .*does not exist.*pass its path/);
    await expect(stat(sandbox.authJsonPath)).rejects.toThrow(/ENOENT/);
  });

  it('an account id that contradicts the token’s claim', async () => {
    const { login, sourcePath } = await setup();
    const content = TOOL_FILES.opencode.content(login);
    await writeJson(sourcePath, { ...content, openai: { ...content.openai, accountId: 'someone-else' } });
    const refreshesBefore = emulator.counters.refreshes;
    const result = await runCli(['import', 'opencode'], sandbox.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `stores account id someone-else, but its access token belongs to ChatGPT account ${login.accountId}`,
    );
    // Refused before redeeming anything: the tool's own login is untouched.
    expect(emulator.counters.refreshes).toBe(refreshesBefore);
    expect((await refreshWith(login.refreshToken)).status).toBe(200);
    await expect(stat(sandbox.authJsonPath)).rejects.toThrow(/ENOENT/);
  });

  it('a login the tool already spent: exits 3 and says how to sign in again', async () => {
    const { login, sourcePath } = await setup();
    await writeJson(sourcePath, TOOL_FILES.opencode.content(login));
    expect((await refreshWith(login.refreshToken)).status).toBe(200);
    const result = await runCli(['import', 'opencode'], sandbox.env);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/can no longer be renewed \(refresh_token_reused\).*Nothing was changed/);
    await expect(stat(sandbox.authJsonPath)).rejects.toThrow(/ENOENT/);
  });

  it('an existing login at the destination is kept unless --force', async () => {
    const { login, sourcePath } = await setup();
    const existing = `${JSON.stringify(emulator.authJson(await emulator.login({ email: 'keep@example.com' })), null, 2)}\n`;
    await writeFile(sandbox.authJsonPath, existing, { mode: 0o600 });
    await writeJson(sourcePath, TOOL_FILES.opencode.content(login));

    const refused = await runCli(['import', 'opencode'], sandbox.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already holds a login for keep@example\.com.*--force/);
    expect(await readFile(sandbox.authJsonPath, 'utf8')).toBe(existing);
    // Refused before redeeming anything: the tool's login still works.
    expect((await refreshWith(login.refreshToken)).status).toBe(200);
  });

  it('--force replaces the existing login', async () => {
    const { login, sourcePath } = await setup();
    const existing = JSON.stringify(emulator.authJson(await emulator.login()));
    await writeFile(sandbox.authJsonPath, existing, { mode: 0o600 });
    await writeJson(sourcePath, TOOL_FILES.opencode.content(login));
    const result = await runCli(['import', 'opencode', '--force'], sandbox.env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(sandbox.authJsonPath, 'utf8')).tokens.account_id).toBe(login.accountId);
    // The login it replaced is kept, byte for byte.
    const [backup] = (await readdir(sandbox.codexHome)).filter(name => name.startsWith('auth.json.backup-'));
    expect(result.stdout).toContain(`kept in ${join(sandbox.codexHome, backup!)}`);
    expect(await readFile(join(sandbox.codexHome, backup!), 'utf8')).toBe(existing);
  });

  it('an unknown tool', async () => {
    sandbox = await createCliSandbox(emulator);
    const result = await runCli(['import', 'cursor'], sandbox.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Choose one of: opencode, pi, openclaw, chatmock');
  });
});
