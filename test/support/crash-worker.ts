/**
 * A process that writes a login to a store in a tight loop until it is killed (for the SIGKILL tests of
 * crash-stores.test.ts). Configured by env; prints `ready`, then waits for CRASH_GO_FILE, then loops.
 *   CRASH_STORE=file  CRASH_FILE=…                         a credentials file in the Codex auth.json format
 *   CRASH_STORE=redis CRASH_REDIS_URL=… CRASH_REDIS_KEY=…   the Redis store (lock TTL 1 s, so a killed holder
 *                                                          delays the next round briefly)
 *   CRASH_MODE=save    CRASH_LOGINS=<JSON file>            save the given logins in turn (as `login` does)
 *   CRASH_MODE=refresh CRASH_TOKEN_URL=…                   refresh the stored login again and again
 * When it stops by itself (a refresh refused), it prints one JSON line `{ "reason": … }`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { CodexAuthError } from '../../src/auth/codex-auth-error';
import type { CodexCredentialStore, CodexLogin } from '../../src/auth/codex-credential-source';
import { createFileCredentialStore } from '../../src/auth/stores/file-store';
import { createRedisCredentialStore } from '../../src/auth/stores/redis-store';
import { CodexTokenManager } from '../../src/auth/token-manager';
import { describeWorkerError } from './worker-error';

const env = process.env;
let redis: Redis | undefined;
let store: CodexCredentialStore;
if (env.CRASH_STORE === 'redis') {
  redis = new Redis(env.CRASH_REDIS_URL!);
  store = createRedisCredentialStore({ client: redis, key: env.CRASH_REDIS_KEY, lockTtlMs: 1000 });
} else {
  store = createFileCredentialStore({ path: env.CRASH_FILE! });
}

console.log('ready');
while (!existsSync(env.CRASH_GO_FILE!)) await new Promise(resolve => setTimeout(resolve, 2));

try {
  if (env.CRASH_MODE === 'save') {
    const logins = JSON.parse(await readFile(env.CRASH_LOGINS!, 'utf8')) as CodexLogin[];
    for (let i = 0; ; i++) await store.save(logins[i % logins.length]!);
  }
  let previous: string | undefined;
  for (;;) {
    // A fresh manager each round, whose window covers any token: it reads the store and refreshes.
    const manager = new CodexTokenManager({
      source: store,
      tokenURL: env.CRASH_TOKEN_URL,
      refreshWindowMs: 365 * 24 * 3600 * 1000,
    });
    const { accessToken } = await manager.getCredentials();
    if (accessToken === previous) {
      throw new CodexAuthError({
        reason: 'login-required',
        source: 'crash worker',
        message: 'refresh refused',
      });
    }
    previous = accessToken;
  }
} catch (error) {
  console.log(JSON.stringify(describeWorkerError(error)));
} finally {
  redis?.disconnect();
}
