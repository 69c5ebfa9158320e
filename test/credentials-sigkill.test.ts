import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type CodexEmulator, startCodexEmulator } from '../src/testing';
import { startWorker } from './support/run-worker';

let emulator: CodexEmulator;
let codexHome: string;

beforeEach(async () => {
  // Every token of these logins lives 60 s, inside the 5-minute window: each new manager refreshes again.
  emulator = await startCodexEmulator({ accessTokenTtlSeconds: 60 });
  codexHome = await mkdtemp(join(tmpdir(), 'codex-home-'));
});

afterEach(async () => {
  await emulator.close();
  await rm(codexHome, { recursive: true, force: true });
});

const EXTRA = { agent_identity: { note: 'kept by every write' } };

async function logIn(path: string) {
  const login = await emulator.login();
  await writeFile(path, JSON.stringify({ ...emulator.authJson(login), ...EXTRA }, null, 2), { mode: 0o600 });
}

it('SIGKILL at any point of a refresh never leaves a truncated, empty or partial auth.json', async () => {
  const path = join(codexHome, 'auth.json');
  await logIn(path);
  const rounds = 20;
  let killedMidRun = 0;

  for (let round = 0; round < rounds; round++) {
    const goFile = join(codexHome, `go-${round}`);
    const worker = await startWorker({
      WORKER_STORE: 'file',
      WORKER_LOOP: '1',
      CODEX_HOME: codexHome,
      WORKER_TOKEN_URL: emulator.tokenURL,
      WORKER_GO_FILE: goFile,
    });
    let exited = false;
    const result = worker.result.then(
      value => value,
      () => undefined,
    );
    result.finally(() => {
      exited = true;
    });
    await worker.ready;
    const refreshesBefore = emulator.counters.refreshes;
    await writeFile(goFile, 'go');
    // Let it get through a few refreshes, then kill it at a random instant of one.
    while (!exited && emulator.counters.refreshes < refreshesBefore + 3) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    await new Promise(resolve => setTimeout(resolve, Math.random() * 30));
    if (worker.kill('SIGKILL')) killedMidRun += 1;
    const outcome = await result;

    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(file).toMatchObject({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, ...EXTRA });
    for (const field of ['id_token', 'access_token', 'refresh_token', 'account_id']) {
      expect(typeof file.tokens[field]).toBe('string');
      expect(file.tokens[field].length).toBeGreaterThan(0);
    }
    // A kill after the server rotated but before the write leaves a spent token; the next worker is told to
    // log in again (and does not touch the file), so the user logs in again.
    if (outcome?.reason != null) {
      expect(outcome.reason).toBe('login-required');
      await logIn(path);
    }
  }

  expect(killedMidRun).toBeGreaterThanOrEqual(rounds / 2);
  const leftovers = (await readdir(codexHome)).filter(name => name.endsWith('.tmp'));
  expect(leftovers.length).toBeLessThanOrEqual(1);
}, 300_000);
