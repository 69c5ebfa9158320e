/**
 * A separate process sharing a login with others: `node --import tsx credentials-worker.ts`, configured by
 * env. Prints one JSON line: `{ "status": <HTTP status of its backend call> }` or `{ "error": … }`.
 *   WORKER_STORE=file  CODEX_HOME=…             the Codex CLI's auth.json
 *   WORKER_STORE=redis WORKER_REDIS_URL=… WORKER_REDIS_KEY=…
 *   WORKER_STORE=codex-keychain CODEX_HOME=…    the Codex CLI's keychain entry
 *   WORKER_BASE_URL, WORKER_TOKEN_URL           the emulator
 *   WORKER_GO_FILE                              print `ready`, then wait for this file to exist, so that all workers race
 *   WORKER_LOOP=1                               refresh forever (for the SIGKILL test)
 */
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { CodexAuthError } from '../../src/auth/codex-auth-error';
import type { CodexCredentialStore } from '../../src/auth/codex-credential-source';
import { createCodexCliCredentialStore } from '../../src/auth/stores/file-store';
import { createCodexCliKeychainStore } from '../../src/auth/stores/keychain-store';
import { createRedisCredentialStore } from '../../src/auth/stores/redis-store';
import { CodexTokenManager } from '../../src/auth/token-manager';
import { callBackend } from './auth-harness';
import { describeWorkerError } from './worker-error';

const env = process.env;
let redis: Redis | undefined;
let store: CodexCredentialStore;
switch (env.WORKER_STORE) {
  case 'redis':
    redis = new Redis(env.WORKER_REDIS_URL!);
    store = createRedisCredentialStore({ client: redis, key: env.WORKER_REDIS_KEY });
    break;
  case 'codex-keychain':
    store = createCodexCliKeychainStore();
    break;
  default:
    store = createCodexCliCredentialStore();
}

if (env.WORKER_GO_FILE) {
  console.log('ready');
  while (!existsSync(env.WORKER_GO_FILE)) await new Promise(resolve => setTimeout(resolve, 5));
}

try {
  if (env.WORKER_LOOP === '1') {
    let previous: string | undefined;
    for (;;) {
      // A fresh manager each time: every round reads the file and refreshes its token (issued inside the window).
      const manager = new CodexTokenManager({ source: store, tokenURL: env.WORKER_TOKEN_URL });
      const { accessToken } = await manager.getCredentials();
      // The refresh was refused and the old token kept: stop, as there is nothing more to refresh.
      if (accessToken === previous)
        throw new CodexAuthError({ reason: 'login-required', source: 'worker', message: 'refresh refused' });
      previous = accessToken;
    }
  }
  const auth = new CodexTokenManager({ source: store, tokenURL: env.WORKER_TOKEN_URL });
  const status = await callBackend(env.WORKER_BASE_URL!, auth);
  console.log(JSON.stringify({ status }));
} catch (error) {
  console.log(JSON.stringify(describeWorkerError(error)));
} finally {
  redis?.disconnect();
}
