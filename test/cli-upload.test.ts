import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisCredentialStore } from '../src/auth/stores/redis-store';
import { type CodexEmulator, type EmulatorLogin, startCodexEmulator } from '../src/testing';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli } from './support/cli-process';
import { freePort } from './support/free-port';
import { type RedisServer, startRedisServer } from './support/redis-server';
import { startUpstashRestBridge } from './support/upstash-rest-bridge';

let emulator: CodexEmulator;
let redis: RedisServer;
let client: Redis;
let sandbox: Awaited<ReturnType<typeof createCliSandbox>>;

beforeAll(async () => {
  emulator = await startCodexEmulator();
  redis = await startRedisServer();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
  await emulator?.close();
});
beforeEach(async () => {
  sandbox = await createCliSandbox(emulator);
  await client.flushall();
});
afterEach(async () => {
  await sandbox?.cleanup();
});

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const storeLogin = (key?: string) => createRedisCredentialStore({ client, key }).read();

function expectNoTokens(output: string, login: EmulatorLogin) {
  for (const token of [login.accessToken, login.refreshToken, login.idToken])
    expect(output).not.toContain(token);
}

async function writeLoginFile(name: string, login: EmulatorLogin): Promise<string> {
  const path = join(sandbox.root, name);
  await writeFile(path, JSON.stringify(emulator.authJson(login)), { mode: 0o600 });
  return path;
}

describe('upload', () => {
  it(
    'moves a login file into the store: the store holds it, the file is gone, no token is printed',
    async () => {
      const login = await emulator.login({ email: 'deploy@example.com' });
      const file = await writeLoginFile('deploy-login.json', login);

      const result = await runCli(['upload', '--file', file, '--redis-url', redis.url], sandbox.env);

      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('Uploaded deploy@example.com');
      expect(result.stdout).toContain(`Redis at ${new URL(redis.url).host}, key codex:cred:default`);
      expectNoTokens(result.stdout + result.stderr, login);
      expect(await exists(file)).toBe(false);
      expect(await storeLogin()).toEqual({
        accessToken: login.accessToken,
        refreshToken: login.refreshToken,
        idToken: login.idToken,
        accountId: login.accountId,
      });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'refuses to take the Codex CLI’s own login without --move, and changes nothing',
    async () => {
      const login = await emulator.login();
      const authJson = JSON.stringify(emulator.authJson(login));
      await writeFile(sandbox.authJsonPath, authJson);

      const result = await runCli(['upload', '--redis-url', redis.url], sandbox.env);

      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--move');
      expect(result.stderr).toContain('ai-sdk-provider-codex login --file deploy-login.json');
      expect(result.stderr).toContain('Nothing was changed');
      expect(await readFile(sandbox.authJsonPath, 'utf8')).toBe(authJson);
      expect(await storeLogin()).toBeUndefined();
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'with --move takes the Codex CLI’s login and says the CLI must sign in again',
    async () => {
      const login = await emulator.login();
      await writeFile(sandbox.authJsonPath, JSON.stringify(emulator.authJson(login)));

      const result = await runCli(
        ['upload', '--move', '--redis-url', redis.url, '--key', 'app:codex'],
        sandbox.env,
      );

      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('run `codex login`');
      expect(await exists(sandbox.authJsonPath)).toBe(false);
      expect((await storeLogin('app:codex'))?.refreshToken).toBe(login.refreshToken);
      expect(await storeLogin()).toBeUndefined();
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'does not replace a login the store holds unless --force',
    async () => {
      const first = await emulator.login({ email: 'first@example.com' });
      await createRedisCredentialStore({ client }).save({
        accessToken: first.accessToken,
        refreshToken: first.refreshToken,
      });
      const second = await emulator.login({ email: 'second@example.com' });
      const file = await writeLoginFile('second.json', second);

      const refused = await runCli(['upload', '--file', file, '--redis-url', redis.url], sandbox.env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('already holds a login for first@example.com');
      expect(await exists(file)).toBe(true);
      expect((await storeLogin())?.refreshToken).toBe(first.refreshToken);

      const forced = await runCli(
        ['upload', '--file', file, '--redis-url', redis.url, '--force'],
        sandbox.env,
      );
      expect(forced.code, forced.stderr).toBe(0);
      expect((await storeLogin())?.refreshToken).toBe(second.refreshToken);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'reaches Upstash over REST when UPSTASH_REDIS_REST_URL and _TOKEN are set',
    async () => {
      const bridge = await startUpstashRestBridge(redis.url);
      try {
        const login = await emulator.login();
        const file = await writeLoginFile('deploy-login.json', login);

        const result = await runCli(['upload', '--file', file], {
          ...sandbox.env,
          UPSTASH_REDIS_REST_URL: bridge.url,
          UPSTASH_REDIS_REST_TOKEN: bridge.token,
        });

        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain(`Upstash Redis at ${bridge.url}`);
        expect(bridge.commands).toContain('eval');
        expect((await storeLogin())?.refreshToken).toBe(login.refreshToken);
      } finally {
        await bridge.close();
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'says how to name the store when none is given, and rejects a URL that is not Redis',
    async () => {
      const file = await writeLoginFile('deploy-login.json', await emulator.login());

      const missing = await runCli(['upload', '--file', file], sandbox.env);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--redis-url');
      expect(missing.stderr).toContain('UPSTASH_REDIS_REST_URL');

      const wrongScheme = await runCli(
        ['upload', '--file', file, '--redis-url', 'https://example.upstash.io'],
        sandbox.env,
      );
      expect(wrongScheme.code).toBe(2);
      expect(wrongScheme.stderr).toContain('redis:// or rediss://');
      expect(await exists(file)).toBe(true);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'fails without changing anything when the Redis server cannot be reached, and hides the password',
    async () => {
      const file = await writeLoginFile('deploy-login.json', await emulator.login());
      const port = await freePort();

      const result = await runCli(
        ['upload', '--file', file, '--redis-url', `redis://default:s3cret-password@127.0.0.1:${port}`],
        sandbox.env,
      );

      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Could not connect to Redis at 127.0.0.1:${port}`);
      expect(result.stderr).not.toContain('s3cret-password');
      expect(await exists(file)).toBe(true);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
