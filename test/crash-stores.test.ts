/**
 * Crash safety of the stores a login is written to, beyond the auth.json refresh that
 * credentials-sigkill.test.ts covers: a process saving logins to a credentials file, saving logins to a
 * real Redis, and refreshing through Redis, SIGKILLed at random instants again and again. After every kill
 * the file or key must hold one complete login, exactly as it was written, that the backend accepts.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodexLogin } from '../src/auth/codex-credential-source';
import { createFileCredentialStore } from '../src/auth/stores/file-store';
import { createRedisCredentialStore } from '../src/auth/stores/redis-store';
import { type CodexEmulator, startCodexEmulator } from '../src/testing';
import { type RedisServer, startRedisServer } from './support/redis-server';
import { startWorker, type WorkerResult } from './support/run-worker';

let emulator: CodexEmulator;
let redisServer: RedisServer;
let redis: Redis;
let dir: string;

beforeAll(async () => {
  emulator = await startCodexEmulator();
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url);
  dir = await mkdtemp(join(tmpdir(), 'codex-crash-'));
});

afterAll(async () => {
  redis.disconnect();
  await redisServer.stop();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Starts a crash worker, lets it write, and SIGKILLs it `afterMs` later (or once `until` holds). */
async function killMidWrite(
  env: Record<string, string>,
  { afterMs, until }: { afterMs: number; until?: () => boolean },
): Promise<{ killed: boolean; result: WorkerResult | undefined }> {
  const goFile = join(dir, `go-${Math.random().toString(36).slice(2)}`);
  const worker = await startWorker({ ...env, CRASH_GO_FILE: goFile }, { script: 'crash-worker' });
  let exited = false;
  const result = worker.result.then(
    value => value,
    () => undefined,
  );
  void result.finally(() => {
    exited = true;
  });
  await worker.ready;
  await writeFile(goFile, 'go');
  if (until) while (!exited && !until()) await sleep(2);
  await sleep(afterMs);
  const killed = worker.kill('SIGKILL');
  await rm(goFile, { force: true });
  return { killed, result: await result };
}

/** The backend takes the login's access token. */
async function expectAccepted(login: CodexLogin) {
  const response = await fetch(`${emulator.baseURL}/models?client_version=0.171.0`, {
    headers: { authorization: `Bearer ${login.accessToken}`, 'chatgpt-account-id': login.accountId ?? '' },
  });
  await response.body?.cancel();
  expect(response.status).toBe(200);
}

async function logins(count: number): Promise<CodexLogin[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const login = await emulator.login();
      return {
        accessToken: login.accessToken,
        refreshToken: login.refreshToken,
        idToken: login.idToken,
        accountId: login.accountId,
      };
    }),
  );
}

/** The stored login is one of `written`, whole: no field from another login, none missing. */
function expectOneOf(stored: CodexLogin | undefined, written: CodexLogin[]) {
  expect(stored).toBeDefined();
  const match = written.find(login => login.accessToken === stored!.accessToken);
  expect(match).toBeDefined();
  expect(stored).toMatchObject(match!);
}

describe('SIGKILL while saving logins', () => {
  it('a credentials file always holds one whole login, mode 0600, with at most one abandoned temp file', async () => {
    const path = join(dir, 'saved', 'login.json');
    const written = await logins(3);
    const loginsFile = join(dir, 'logins-file.json');
    await writeFile(loginsFile, JSON.stringify(written));
    const store = createFileCredentialStore({ path });
    // The file exists from the start, so a kill before the worker's first write finds it too.
    await store.save(written[0]!);
    let kills = 0;

    for (let round = 0; round < 20; round++) {
      const { killed } = await killMidWrite(
        { CRASH_STORE: 'file', CRASH_FILE: path, CRASH_MODE: 'save', CRASH_LOGINS: loginsFile },
        { afterMs: 10 + Math.random() * 60 },
      );
      if (killed) kills += 1;
      // The file parses as a whole auth.json, through the same reader every process uses.
      JSON.parse(await readFile(path, 'utf8'));
      const stored = await store.read();
      expectOneOf(stored, written);
      await expectAccepted(stored!);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }

    expect(kills).toBe(20);
    const temps = (await readdir(join(dir, 'saved'))).filter(name => name.endsWith('.tmp'));
    expect(temps.length).toBeLessThanOrEqual(1);
  }, 120_000);

  it('a Redis key always holds one whole login record', async () => {
    const key = 'codex:crash:save';
    const written = await logins(3);
    const loginsFile = join(dir, 'logins-redis.json');
    await writeFile(loginsFile, JSON.stringify(written));
    const store = createRedisCredentialStore({ client: redis, key });
    await store.save(written[0]!);
    let kills = 0;

    const version = async () => JSON.parse((await redis.get(key))!).version as number;
    for (let round = 0; round < 15; round++) {
      // The kill comes after the worker's first save of the round, however slowly a loaded machine starts it.
      const before = await version();
      let saved = false;
      const watch = (async () => {
        while (!saved) {
          if ((await version()) > before) saved = true;
          else await sleep(2);
        }
      })();
      const { killed } = await killMidWrite(
        {
          CRASH_STORE: 'redis',
          CRASH_REDIS_URL: redisServer.url,
          CRASH_REDIS_KEY: key,
          CRASH_MODE: 'save',
          CRASH_LOGINS: loginsFile,
        },
        { until: () => saved, afterMs: Math.random() * 40 },
      );
      saved = true;
      await watch;
      if (killed) kills += 1;
      const stored = await store.read();
      expectOneOf(stored, written);
      await expectAccepted(stored!);
    }

    expect(kills).toBe(15);
    // Each round saved at least once before its kill: the record's version counts the writes.
    expect(await version()).toBeGreaterThan(15);
  }, 120_000);
});

describe('SIGKILL while refreshing through Redis', () => {
  it('the key always holds a whole login the backend accepts; a kill between rotation and write is the only loss', async () => {
    const key = 'codex:crash:refresh';
    const store = createRedisCredentialStore({ client: redis, key });
    const seed = async () => store.save((await logins(1))[0]!);
    await seed();
    let kills = 0;
    let lost = 0;

    for (let round = 0; round < 15; round++) {
      const refreshesBefore = emulator.counters.refreshes;
      const { killed, result } = await killMidWrite(
        {
          CRASH_STORE: 'redis',
          CRASH_REDIS_URL: redisServer.url,
          CRASH_REDIS_KEY: key,
          CRASH_MODE: 'refresh',
          CRASH_TOKEN_URL: emulator.tokenURL,
        },
        { afterMs: Math.random() * 20, until: () => emulator.counters.refreshes >= refreshesBefore + 2 },
      );
      if (killed) kills += 1;

      const stored = await store.read();
      expect(stored).toMatchObject({
        accessToken: expect.stringMatching(/^eyJ/),
        refreshToken: expect.any(String),
        idToken: expect.stringMatching(/^eyJ/),
        accountId: expect.any(String),
      });
      // A worker that stopped by itself found the stored refresh token spent: the previous kill landed
      // after the token endpoint rotated it and before the new tokens were written. Nothing can close that
      // window; the user logs in again.
      if (result?.reason != null) {
        expect(result.reason).toBe('login-required');
        lost += 1;
        await seed();
      } else {
        await expectAccepted(stored!);
      }
    }

    // Every round ended in a kill or in the worker finding the token spent by the kill before; no other way.
    expect(kills + lost).toBe(15);
    expect(kills).toBeGreaterThan(lost);
  }, 180_000);
});
