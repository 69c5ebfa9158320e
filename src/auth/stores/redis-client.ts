/**
 * The one command the Redis store needs: `EVAL`. Implement it for any client, or pass an `ioredis`,
 * `redis` (node-redis) or `@upstash/redis` client and let `toRedisEval` adapt it.
 */
export interface CodexRedisEval {
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

interface IORedisLike {
  defineCommand: unknown;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

interface NodeRedisLike {
  isOpen: boolean;
  sendCommand(args: string[]): Promise<unknown>;
}

interface UpstashRedisLike {
  createScript: unknown;
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

/** A Redis client this package can drive without importing it. */
export type CodexRedisClient = CodexRedisEval | IORedisLike | NodeRedisLike | UpstashRedisLike;

/** Adapts a supported client (or passes an adapter through). */
export function toRedisEval(client: CodexRedisClient): CodexRedisEval {
  if ('defineCommand' in client && typeof client.defineCommand === 'function') {
    const ioredis = client as IORedisLike;
    return { eval: (script, keys, args) => ioredis.eval(script, keys.length, ...keys, ...args) };
  }
  if ('isOpen' in client && 'sendCommand' in client && typeof client.sendCommand === 'function') {
    const nodeRedis = client as NodeRedisLike;
    return {
      eval: (script, keys, args) =>
        nodeRedis.sendCommand(['EVAL', script, String(keys.length), ...keys, ...args]),
    };
  }
  if ('eval' in client && typeof client.eval === 'function') {
    const generic = client as CodexRedisEval;
    return { eval: (script, keys, args) => generic.eval(script, keys, args) };
  }
  throw new TypeError(
    'Unsupported Redis client: pass an ioredis, redis (node-redis) or @upstash/redis client, or an object with eval(script, keys, args).',
  );
}
