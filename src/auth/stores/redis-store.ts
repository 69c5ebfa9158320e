import { safeParseJSON } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';
import { CODEX_LOGIN_HINT, CodexAuthError } from '../codex-auth-error';
import type { CodexCredentialStore, CodexLogin } from '../codex-credential-source';
import { type CodexRedisClient, toRedisEval } from './redis-client';

export interface RedisCredentialStoreOptions {
  /** An `ioredis`, `redis` (node-redis) or `@upstash/redis` client, or any `{ eval(script, keys, args) }`. */
  client: CodexRedisClient;
  /** The key holding the login. Default: `codex:cred:default`; the lock lives at `<key>:lock`. */
  key?: string;
  /**
   * Written once when the key is empty (e.g. `readCodexRefreshTokenSeed()`); ignored once the store holds a
   * login, so a refresh token in the environment is redeemed at most once.
   */
  seed?: CodexLogin;
  /** How long a holder may keep the lock before it expires; keep it above the refresh timeout. Default: 60 s. */
  lockTtlMs?: number;
  /** How long to wait for another holder's rotation. Default: 90 s. */
  lockTimeoutMs?: number;
  description?: string;
}

const recordSchema = z.object({
  version: z.number(),
  updatedAt: z.string(),
  login: z
    .object({
      accessToken: z.string(),
      accountId: z.string().optional(),
      refreshToken: z.string().optional(),
      idToken: z.string().optional(),
    })
    .optional(),
});

type RedisRecord = z.infer<typeof recordSchema>;

const GET = `return redis.call('GET', KEYS[1])`;
const SET_IF_ABSENT = `return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])`;
const SEED = `return redis.call('SET', KEYS[1], ARGV[1], 'NX')`;
// Fencing: only the current lock holder may write; a holder whose lock expired is refused.
const WRITE_IF_HOLDER = `if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0`;
const UNLOCK_IF_HOLDER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * A login shared by many machines (serverless instances, several servers) through Redis. Rotation holds a
 * `SET NX PX` lock with a random fencing token; everyone else waits for it, then re-reads and adopts the new
 * token instead of redeeming the old one. Writes are refused once the writer no longer holds the lock.
 */
export function createRedisCredentialStore({
  client,
  key = 'codex:cred:default',
  seed,
  lockTtlMs = 60_000,
  lockTimeoutMs = 90_000,
  description = `Redis key ${key}`,
}: RedisCredentialStoreOptions): CodexCredentialStore {
  const adapter = toRedisEval(client);
  // Client errors can carry the command's arguments (ioredis's ReplyError does), which hold the tokens:
  // only their message goes on, without the error itself.
  const redis = {
    async eval(script: string, keys: string[], args: string[]): Promise<unknown> {
      try {
        return await adapter.eval(script, keys, args);
      } catch (error) {
        throw new CodexAuthError({
          reason: 'store-unavailable',
          source: description,
          message: `Redis refused or could not run a command (${error instanceof Error ? error.message : 'unknown error'}); check the connection and try again.`,
        });
      }
    },
  };
  const lockKey = `${key}:lock`;
  let seeded: Promise<void> | undefined;

  async function load(): Promise<RedisRecord | undefined> {
    if (seed != null) {
      seeded ??= redis.eval(SEED, [key], [serialize({ version: 1, login: seed })]).then(
        () => {},
        error => {
          seeded = undefined;
          throw error;
        },
      );
      await seeded;
    }
    const raw = await redis.eval(GET, [key], []);
    if (raw == null) return undefined;
    // @upstash/redis deserializes JSON replies by default; other clients return the string.
    const parsed =
      typeof raw === 'string'
        ? await safeParseJSON({ text: raw, schema: recordSchema })
        : toParseResult(recordSchema.safeParse(raw));
    if (!parsed.success) {
      throw new CodexAuthError({
        reason: 'malformed',
        source: description,
        message: `does not hold a login record written by this package. Delete the key and log in again: ${CODEX_LOGIN_HINT}`,
      });
    }
    return parsed.value;
  }

  function serialize(record: { version: number; login: CodexLogin | undefined }): string {
    return JSON.stringify({ ...record, updatedAt: new Date().toISOString() });
  }

  async function underLock<T>(
    abortSignal: AbortSignal | undefined,
    action: (fence: string) => Promise<T>,
  ): Promise<T> {
    // Web Crypto, not `node:crypto`: the store must also work on edge runtimes (e.g. with Upstash over REST).
    const fence = crypto.randomUUID();
    const deadline = Date.now() + lockTimeoutMs;
    while ((await redis.eval(SET_IF_ABSENT, [lockKey], [fence, String(lockTtlMs)])) == null) {
      abortSignal?.throwIfAborted();
      if (Date.now() >= deadline) {
        throw new CodexAuthError({
          reason: 'lock-timeout',
          source: description,
          message: `another holder kept the lock ${lockKey} for more than ${Math.round(lockTimeoutMs / 1000)} s; try again.`,
        });
      }
      await new Promise(resolve => setTimeout(resolve, 50 + Math.random() * 100));
    }
    try {
      return await action(fence);
    } finally {
      await redis.eval(UNLOCK_IF_HOLDER, [lockKey], [fence]);
    }
  }

  async function write(fence: string, record: { version: number; login: CodexLogin | undefined }) {
    const written = await redis.eval(WRITE_IF_HOLDER, [key, lockKey], [fence, serialize(record)]);
    if (Number(written) !== 1) {
      throw new CodexAuthError({
        reason: 'lock-timeout',
        source: description,
        message: `the lock ${lockKey} expired before the rotated login was written; raise lockTtlMs above the refresh timeout.`,
      });
    }
  }

  return {
    description,
    async read() {
      return (await load())?.login;
    },
    update(update, options) {
      return underLock(options?.abortSignal, async fence => {
        const current = await load();
        const next = await update(current?.login);
        if (next == null) return current?.login;
        await write(fence, { version: (current?.version ?? 0) + 1, login: next });
        return next;
      });
    },
    save(login, options) {
      return underLock(options?.abortSignal, async fence => {
        const current = await load().catch(() => undefined);
        await write(fence, { version: (current?.version ?? 0) + 1, login });
      });
    },
    remove(options) {
      return underLock(options?.abortSignal, async fence => {
        const current = await load().catch(() => undefined);
        if (current?.login == null) return false;
        await write(fence, { version: current.version + 1, login: undefined });
        return true;
      });
    },
  };
}

function toParseResult<T>(result: z.ZodSafeParseResult<T>): { success: true; value: T } | { success: false } {
  return result.success ? { success: true, value: result.data } : { success: false };
}
