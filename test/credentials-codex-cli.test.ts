import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCodexCliCredentialStore } from '../src/auth/stores/file-store';
import { CodexTokenManager } from '../src/auth/token-manager';
import type { CodexEmulator, EmulatorLogin } from '../src/testing';
import { callBackend, startEmulatorWithExpiredLogins } from './support/auth-harness';
import { CODEX_CLI_VERSION, customProviderArgs, ensureCodexCli, runCodex } from './support/codex-cli';

// The official CLI co-owns $CODEX_HOME/auth.json: neither side may log the other out.
//
// Not covered, because no client-side lock can make it safe: the CLI 0.171 sends its refresh request first
// and takes auth.lock only to write the result (strace: its token request leaves while another process holds
// auth.lock, and its flock(auth.lock) follows). So when both sides decide to redeem the same refresh token
// within the CLI's request window, the server sees it twice; in a run here that ended in
// refresh_token_reused and a revoked login. Our processes serialize among themselves and never overwrite
// the CLI's rotation (we write under auth.lock, which the CLI also takes to write).
describe(`sharing auth.json with the real Codex CLI ${CODEX_CLI_VERSION}`, () => {
  let bin: string;
  let emulator: CodexEmulator;
  let expiredLogin: () => Promise<EmulatorLogin>;
  let setClockOffset: (ms: number) => void;
  let codexHome: string;
  let workDir: string;

  beforeAll(async () => {
    bin = await ensureCodexCli();
  }, 15 * 60_000);

  beforeEach(async () => {
    // Slow answers from the token endpoint keep a refresh in flight long enough for the other side to collide.
    ({ emulator, expiredLogin, setClockOffset } = await startEmulatorWithExpiredLogins({
      tokenEndpointDelayMs: 500,
    }));
    codexHome = await mkdtemp(join(tmpdir(), 'codex-home-'));
    workDir = await mkdtemp(join(tmpdir(), 'codex-work-'));
    await writeFile(join(codexHome, 'config.toml'), 'cli_auth_credentials_store = "file"\n');
  });

  afterEach(async () => {
    await emulator.close();
    await rm(codexHome, { recursive: true, force: true });
    await rm(workDir, { recursive: true, force: true });
  });

  const authJsonPath = () => join(codexHome, 'auth.json');
  const writeAuthJson = (login: EmulatorLogin) =>
    writeFile(authJsonPath(), JSON.stringify(emulator.authJson(login), null, 2), { mode: 0o600 });
  const readAuthJson = async () =>
    JSON.parse(await readFile(authJsonPath(), 'utf8')) as {
      tokens: { access_token: string; refresh_token: string; account_id: string };
    };
  const manager = () =>
    new CodexTokenManager({
      source: createCodexCliCredentialStore({ codexHome }),
      tokenURL: emulator.tokenURL,
    });
  const codex = (args: string[]) =>
    runCodex(bin, args, {
      codexHome,
      cwd: workDir,
      env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: emulator.tokenURL },
    });
  const codexExec = () =>
    codex([
      'exec',
      '--skip-git-repo-check',
      ...customProviderArgs({ baseURL: emulator.baseURL, chatgptBaseURL: emulator.chatgptBaseURL }),
      '-m',
      'gpt-5.5',
      'Say hello',
    ]);
  const refreshTokensPresented = () =>
    emulator.requestsTo('token').map(request => (request.body as { refresh_token?: string }).refresh_token);

  it('after our refresh the CLI still reports a ChatGPT login, and its own next refresh succeeds', async () => {
    // With the emulator's clock two hours behind, every token it issues has already expired by the real clock
    // (which both clients go by) while the emulator still accepts it: we refresh now, the CLI right after.
    setClockOffset(-2 * 3600_000);
    const login = await emulator.login();
    await writeAuthJson(login);

    expect(await callBackend(emulator.baseURL, manager())).toBe(200);
    const ours = await readAuthJson();
    expect(ours.tokens.refresh_token).not.toBe(login.refreshToken);
    setClockOffset(0);

    const status = await codex(['login', 'status']);
    expect(`${status.stdout}${status.stderr}`).toContain('Logged in using ChatGPT');

    const exec = await codexExec();
    expect(exec.code, exec.stderr.slice(-4000)).toBe(0);
    expect(refreshTokensPresented()).toEqual([login.refreshToken, ours.tokens.refresh_token]);
    expect(emulator.counters.refreshes).toBe(2);
    expect(emulator.counters.refreshFailures).toBe(0);
    expect((await readAuthJson()).tokens.refresh_token).not.toBe(ours.tokens.refresh_token);
  }, 180_000);

  it('after the CLI refreshes, our next call adopts its token instead of refreshing', async () => {
    const login = await expiredLogin();
    await writeAuthJson(login);
    const auth = manager();
    // Loaded before the CLI runs: this process holds the expired token in memory.
    await expect(createCodexCliCredentialStore({ codexHome }).read()).resolves.toMatchObject({
      accessToken: login.accessToken,
    });

    const exec = await codexExec();
    expect(exec.code, exec.stderr.slice(-4000)).toBe(0);
    expect(emulator.counters.refreshes).toBe(1);

    const credentials = await auth.getCredentials();
    expect(credentials.accessToken).toBe((await readAuthJson()).tokens.access_token);
    expect(credentials.accessToken).not.toBe(login.accessToken);
    expect(await callBackend(emulator.baseURL, auth)).toBe(200);
    expect(emulator.counters.refreshes).toBe(1);
    expect(emulator.counters.tokenRequests).toBe(1);
  }, 180_000);
});
