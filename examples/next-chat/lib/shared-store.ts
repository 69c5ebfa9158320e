import { Redis } from '@upstash/redis';
import {
  type CodexAuth,
  type CodexRedisClient,
  createCodexTokenManager,
  createRedisCredentialStore,
  readCodexRefreshTokenSeed,
} from 'ai-sdk-provider-codex';

/**
 * A login kept in a shared Redis store: every instance caches the access token in memory, and rotation runs
 * under the store's lock, so one instance refreshes and the others adopt the new token.
 *
 * The store is filled once with `npx ai-sdk-provider-codex upload` (or seeded from `CODEX_REFRESH_TOKEN`).
 */
export function sharedStoreAuth(client: CodexRedisClient): CodexAuth {
  return createCodexTokenManager({
    source: createRedisCredentialStore({
      client,
      key: process.env.CODEX_REDIS_KEY || undefined,
      seed: readCodexRefreshTokenSeed(),
    }),
  });
}

/** Upstash (or Vercel's Redis integration) over REST, which works on the edge runtime too. */
export function upstashFromEnv(): Redis | undefined {
  const url = process.env.UPSTASH_REDIS_REST_URL || process.env.KV_REST_API_URL;
  const token = process.env.UPSTASH_REDIS_REST_TOKEN || process.env.KV_REST_API_TOKEN;
  return url && token ? new Redis({ url, token }) : undefined;
}
