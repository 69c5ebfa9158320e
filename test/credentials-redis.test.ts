import { Redis as Upstash } from '@upstash/redis';
import { Redis as IORedis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CodexAuthError } from '../src/auth/codex-auth-error';
import { readCodexRefreshTokenSeed } from '../src/auth/sources/env-source';
import { createRedisCredentialStore } from '../src/auth/stores/redis-store';
import { CodexTokenManager } from '../src/auth/token-manager';
import type { CodexEmulator, EmulatorLogin } from '../src/testing';
import { callBackend, expectNoTokensIn, startEmulatorWithExpiredLogins } from './support/auth-harness';
import { type RedisServer, startRedisServer } from './support/redis-server';
import { raceWorkers } from './support/run-worker';
import { startUpstashRestBridge, type UpstashRestBridge } from './support/upstash-rest-bridge';

let redisServer: RedisServer;
let redis: IORedis;
let emulator: CodexEmulator;
let expiredLogin: () => Promise<EmulatorLogin>;
let key: string;
let round = 0;

beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = new IORedis(redisServer.url);
});

afterAll(async () => {
  redis?.disconnect();
  await redisServer?.stop();
});

beforeEach(async () => {
  ({ emulator, expiredLogin } = await startEmulatorWithExpiredLogins({ tokenEndpointDelayMs: 300 }));
  key = `codex:cred:test-${++round}`;
});

afterEach(async () => {
  await emulator.close();
});

const asLogin = (login: EmulatorLogin) => ({
  accessToken: login.accessToken,
  refreshToken: login.refreshToken,
  idToken: login.idToken,
  accountId: login.accountId,
});

it('12 processes on an expired token refresh once through a real Redis, with no reuse', async () => {
  const login = await expiredLogin();
  await createRedisCredentialStore({ client: redis, key }).save(asLogin(login));

  const results = await raceWorkers(12, `/tmp/codex-redis-go-${process.pid}-${round}`, {
    WORKER_STORE: 'redis',
    WORKER_REDIS_URL: redisServer.url,
    WORKER_REDIS_KEY: key,
    WORKER_BASE_URL: emulator.baseURL,
    WORKER_TOKEN_URL: emulator.tokenURL,
  });

  expect(results).toEqual(Array.from({ length: 12 }, () => ({ status: 200 })));
  expect(emulator.counters.refreshes).toBe(1);
  expect(emulator.counters.reuseRejections).toBe(0);
  const stored = await createRedisCredentialStore({ client: redis, key }).read();
  expect(stored?.refreshToken).not.toBe(login.refreshToken);
  expect(stored?.accountId).toBe(login.accountId);
  expect(await redis.exists(`${key}:lock`)).toBe(0);
}, 180_000);

describe('clients', () => {
  let nodeRedis: ReturnType<typeof createClient>;
  let bridge: UpstashRestBridge;

  beforeAll(async () => {
    nodeRedis = createClient({ url: redisServer.url });
    await nodeRedis.connect();
    bridge = await startUpstashRestBridge(redisServer.url);
  });

  afterAll(async () => {
    await nodeRedis?.quit();
    await bridge?.close();
  });

  it('ioredis, node-redis and @upstash/redis (over REST) share one login: one refresh, the others adopt', async () => {
    const login = await expiredLogin();
    const upstash = new Upstash({ url: bridge.url, token: bridge.token });
    const managers = [redis, nodeRedis, upstash].map(
      client =>
        new CodexTokenManager({
          source: createRedisCredentialStore({ client, key }),
          tokenURL: emulator.tokenURL,
        }),
    );
    await createRedisCredentialStore({ client: upstash, key }).save(asLogin(login));

    const statuses = await Promise.all(
      managers.flatMap(manager => Array.from({ length: 5 }, () => callBackend(emulator.baseURL, manager))),
    );

    expect(statuses.every(status => status === 200)).toBe(true);
    expect(emulator.counters.refreshes).toBe(1);
    expect(emulator.counters.reuseRejections).toBe(0);
    const tokens = await Promise.all(
      managers.map(async manager => (await manager.getCredentials()).accessToken),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(bridge.commands).toContain('eval');
  });
});

it('writes a seed only into an empty key, so a refresh token from the environment is redeemed once', async () => {
  const login = await expiredLogin();
  const seed = readCodexRefreshTokenSeed({ CODEX_REFRESH_TOKEN: login.refreshToken })!;
  const first = new CodexTokenManager({
    source: createRedisCredentialStore({ client: redis, key, seed }),
    tokenURL: emulator.tokenURL,
  });
  const credentials = await first.getCredentials();
  expect(credentials.accountId).toBe(login.accountId);

  // A cold start with the same environment: the store already holds the rotated login.
  const second = new CodexTokenManager({
    source: createRedisCredentialStore({ client: redis, key, seed }),
    tokenURL: emulator.tokenURL,
  });
  expect(await second.getCredentials()).toEqual(credentials);
  expect(emulator.counters.refreshes).toBe(1);
  expect(emulator.counters.reuseRejections).toBe(0);
});

it('refuses to write a rotation once the writer no longer holds the lock (fencing)', async () => {
  const login = await expiredLogin();
  // The token endpoint answers after 300 ms; the lock lapses after 100 ms.
  const store = createRedisCredentialStore({ client: redis, key, lockTtlMs: 100 });
  await store.save(asLogin(login));
  const manager = new CodexTokenManager({ source: store, tokenURL: emulator.tokenURL });

  const error = await manager.getCredentials().catch(error => error);

  expect(CodexAuthError.isInstance(error)).toBe(true);
  expect(error.reason).toBe('lock-timeout');
  expect(error.message).toContain('lockTtlMs');
  expect((await store.read())?.refreshToken).toBe(login.refreshToken);
});

it('names the key and the fix when it holds something else', async () => {
  await redis.set(key, '{"not":"ours"}');
  const manager = new CodexTokenManager({ source: createRedisCredentialStore({ client: redis, key }) });

  const error = await manager.getCredentials().catch(error => error);

  expect(CodexAuthError.isInstance(error)).toBe(true);
  expect(error.reason).toBe('malformed');
  expect(error.message).toContain(`Redis key ${key}`);
  expect(error.message).toContain('npx ai-sdk-provider-codex login');
});

it('Redis refusing a write: store-unavailable, and the error carries none of the tokens it was to write', async () => {
  const login = await expiredLogin();
  // Writes now fail server-side with NOREPLICAS; ioredis's ReplyError would carry the command's arguments.
  await redis.config('SET', 'min-replicas-to-write', '1');
  try {
    const raw = (await redis
      .eval('return redis.call("SET", KEYS[1], ARGV[1])', 1, key, login.refreshToken)
      .catch(error => error)) as { command?: unknown };
    expect(JSON.stringify(raw.command)).toContain(login.refreshToken);

    // The seed is the first command the store sends: its arguments hold the tokens.
    const store = createRedisCredentialStore({ client: redis, key, seed: asLogin(login) });
    const error = await store.read().catch(error => error);

    expect(CodexAuthError.isInstance(error)).toBe(true);
    expect(error.reason).toBe('store-unavailable');
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain(`Redis key ${key}`);
    expect(error.message).toContain('NOREPLICAS');
    expectNoTokensIn(error, login);
  } finally {
    await redis.config('SET', 'min-replicas-to-write', '0');
  }
});
