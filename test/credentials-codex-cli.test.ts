import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCodexCliCredentialStore } from '../src/auth/stores/file-store';
import { CodexTokenManager } from '../src/auth/token-manager';
import type { CodexEmulator, EmulatorLogin, LoginOptions } from '../src/testing';
import { callBackend, startEmulatorWithExpiredLogins } from './support/auth-harness';
import { CODEX_CLI_VERSION, customProviderArgs, runCodex, useCodexCliDirs } from './support/codex-cli';
import { startWorker } from './support/run-worker';

// The official CLI co-owns $CODEX_HOME/auth.json: neither side may log the other out.
//
// The CLI 0.171 sends its refresh request first and takes auth.lock only to write the result (strace: its
// token request leaves while another process holds auth.lock, and its flock(auth.lock) follows). So no lock
// keeps both sides from redeeming the same refresh token at once, e.g. both starting after a long idle on an
// expired login. Whoever loses is answered refresh_token_reused and adopts the winner's tokens from auth.json
// (the CLI does; we wait a few seconds for them). To avoid the race where we can, we refresh a login shared
// with the CLI 10 minutes ahead, so that whenever both run we usually rotate first and the CLI, which
// re-reads auth.json before refreshing, finds our token; and we write under auth.lock, so neither side
// overwrites the other.
describe(`sharing auth.json with the real Codex CLI ${CODEX_CLI_VERSION}`, () => {
  const cli = useCodexCliDirs();
  let emulator: CodexEmulator;
  let expiredLogin: (account?: LoginOptions) => Promise<EmulatorLogin>;
  let setClockOffset: (ms: number) => void;

  beforeEach(async () => {
    // Slow answers from the token endpoint keep a refresh in flight long enough for the other side to collide.
    ({ emulator, expiredLogin, setClockOffset } = await startEmulatorWithExpiredLogins({
      tokenEndpointDelayMs: 500,
      // The loser of a race retries its spent token; the winner's login must survive that.
      refreshReuseGraceMs: 60_000,
    }));
  });

  afterEach(async () => {
    await emulator.close();
  });

  const authJsonPath = () => join(cli.codexHome, 'auth.json');
  const writeAuthJson = (login: EmulatorLogin) =>
    writeFile(authJsonPath(), JSON.stringify(emulator.authJson(login), null, 2), { mode: 0o600 });
  const readAuthJson = async () =>
    JSON.parse(await readFile(authJsonPath(), 'utf8')) as {
      tokens: { access_token: string; refresh_token: string; account_id: string };
    };
  const manager = () =>
    new CodexTokenManager({
      source: createCodexCliCredentialStore({ codexHome: cli.codexHome }),
      tokenURL: emulator.tokenURL,
    });
  const codex = (args: string[]) =>
    runCodex(cli.bin, args, {
      codexHome: cli.codexHome,
      cwd: cli.workDir,
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

  it('both refreshing one expired login at once, round after round: our call succeeds whoever wins, the file ends with the newest rotation, the CLI stays logged in', async () => {
    const login = await expiredLogin();
    await writeAuthJson(login);
    // The login in auth.json after a long idle: its access token has expired, its refresh token is the newest.
    const expireAuthJson = async () => {
      const file = await readAuthJson();
      file.tokens.access_token = (await expiredLogin({ accountId: login.accountId })).accessToken;
      await writeFile(authJsonPath(), JSON.stringify(file, null, 2), { mode: 0o600 });
    };
    const presentedBy = (agent: string) =>
      emulator
        .requestsTo('token')
        .filter(request => request.headers['user-agent']?.startsWith(agent))
        .map(request => (request.body as { refresh_token: string }).refresh_token);
    const tokenRequestArrives = async (count: number) => {
      while (emulator.requestsTo('token').length < count)
        await new Promise(resolve => setTimeout(resolve, 10));
    };

    for (let round = 0; round < 5; round++) {
      if (round > 0) await expireAuthJson();
      const start = (await readAuthJson()).tokens.refresh_token;
      const before = emulator.requestsTo('token').length;
      // Neither refresh is answered before both are in flight; the first to arrive wins.
      emulator.holdTokenRequests(2, { timeoutMs: 60_000 });
      const cliFirst = round % 2 === 0;
      let exec: Promise<Awaited<ReturnType<typeof codexExec>>>;
      let worker: Awaited<ReturnType<typeof startWorker>>;
      const startWorkerNow = () =>
        startWorker({
          WORKER_STORE: 'file',
          CODEX_HOME: cli.codexHome,
          WORKER_BASE_URL: emulator.baseURL,
          WORKER_TOKEN_URL: emulator.tokenURL,
        });
      if (cliFirst) {
        exec = codexExec();
        await tokenRequestArrives(before + 1);
        worker = await startWorkerNow();
      } else {
        worker = await startWorkerNow();
        await tokenRequestArrives(before + 1);
        exec = codexExec();
      }
      const [result, execResult] = await Promise.all([worker.result, exec]);

      const heldPair = emulator.requestsTo('token').slice(before, before + 2);
      expect(heldPair.map(request => (request.body as { refresh_token: string }).refresh_token)).toEqual([
        start,
        start,
      ]);
      expect(heldPair[0]!.headers['user-agent']).toMatch(
        cliFirst ? /^codex_exec\// : /^ai-sdk-provider-codex\//,
      );
      expect(result, `round ${round}`).toEqual({ status: 200 });
      expect(execResult.code, execResult.stderr.slice(-4000)).toBe(0);
      const status = await codex(['login', 'status']);
      expect(`${status.stdout}${status.stderr}`).toContain('Logged in using ChatGPT');
      // The newest rotation is the one refresh token nobody has presented yet.
      const end = (await readAuthJson()).tokens.refresh_token;
      expect(end).not.toBe(start);
      expect([...presentedBy('codex_exec/'), ...presentedBy('ai-sdk-provider-codex/')]).not.toContain(end);
    }

    expect(emulator.counters.reuseRejections).toBeGreaterThanOrEqual(5);
    // The login survived every race: its newest refresh token is still accepted.
    const final = await fetch(emulator.tokenURL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
        grant_type: 'refresh_token',
        refresh_token: (await readAuthJson()).tokens.refresh_token,
      }),
    });
    expect(final.status).toBe(200);
  }, 300_000);

  it('after the CLI refreshes, our next call adopts its token instead of refreshing', async () => {
    const login = await expiredLogin();
    await writeAuthJson(login);
    const auth = manager();
    // Loaded before the CLI runs: this process holds the expired token in memory.
    await expect(createCodexCliCredentialStore({ codexHome: cli.codexHome }).read()).resolves.toMatchObject({
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

  it('running with the CLI near expiry: our processes rotate once, ahead of the CLI, which never redeems the old token', async () => {
    // Issued 53 minutes ago for an hour: 7 minutes left, inside our 10-minute window, not yet in the CLI's 5.
    setClockOffset(-53 * 60_000);
    const login = await emulator.login();
    setClockOffset(0);
    await writeAuthJson(login);
    const goFile = join(cli.codexHome, 'go');
    const workers = await Promise.all(
      Array.from({ length: 3 }, () =>
        startWorker({
          WORKER_STORE: 'file',
          CODEX_HOME: cli.codexHome,
          WORKER_BASE_URL: emulator.baseURL,
          WORKER_TOKEN_URL: emulator.tokenURL,
          WORKER_GO_FILE: goFile,
        }),
      ),
    );
    await Promise.all(workers.map(worker => worker.ready));

    const [exec, results] = await Promise.all([
      codexExec(),
      writeFile(goFile, 'go').then(() => Promise.all(workers.map(worker => worker.result))),
    ]);
    const again = await codexExec();

    expect(exec.code, exec.stderr.slice(-4000)).toBe(0);
    expect(again.code, again.stderr.slice(-4000)).toBe(0);
    expect(results).toEqual([{ status: 200 }, { status: 200 }, { status: 200 }]);
    expect(refreshTokensPresented()).toEqual([login.refreshToken]);
    expect(emulator.counters.reuseRejections).toBe(0);
    const status = await codex(['login', 'status']);
    expect(`${status.stdout}${status.stderr}`).toContain('Logged in using ChatGPT');
  }, 180_000);
});
