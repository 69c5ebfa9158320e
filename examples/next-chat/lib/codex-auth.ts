import { type CodexAuth, createDefaultCodexAuth } from 'ai-sdk-provider-codex';
import IORedis from 'ioredis';
import { sharedStoreAuth, upstashFromEnv } from './shared-store';

/**
 * The credentials of every Node.js route of this server, in one holder so that tokens are refreshed once:
 * - `UPSTASH_REDIS_REST_URL` + `_TOKEN` (or `KV_REST_API_URL` + `_TOKEN`): a shared store over REST;
 * - `REDIS_URL`: a shared store on any Redis server;
 * - otherwise the local login (`$CODEX_HOME/auth.json`, shared with the Codex CLI, or the OS keychain).
 */
export const auth: CodexAuth = createAuth();

function createAuth(): CodexAuth {
  const upstash = upstashFromEnv();
  if (upstash != null) return sharedStoreAuth(upstash);
  const redisURL = process.env.REDIS_URL;
  // lazyConnect: `next build` loads this module, and must not connect.
  if (redisURL) return sharedStoreAuth(new IORedis(redisURL, { lazyConnect: true }));
  return createDefaultCodexAuth();
}
