import type { CodexRedisClient } from '../auth/stores/redis-client';
import { CliError, EXIT_CODES } from './cli-error';

/** A connected Redis client for a shared store, named without its password. */
export interface RedisConnection {
  client: CodexRedisClient;
  /** e.g. `Redis at redis.example.com:6379` or `Upstash Redis at https://….upstash.io`. */
  description: string;
  close(): Promise<void>;
}

interface IORedisClient {
  connect(): Promise<void>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

type IORedisModule = {
  default: new (url: string, options: Record<string, unknown>) => IORedisClient;
};

interface NodeRedisClient {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
}

type NodeRedisModule = { createClient(options: Record<string, unknown>): NodeRedisClient };

type UpstashModule = { Redis: new (config: { url: string; token: string }) => CodexRedisClient };

export const REDIS_ENVIRONMENT_HELP = `The store is the first of:
  --redis-url <url>                        any Redis server (needs ioredis or redis installed)
  UPSTASH_REDIS_REST_URL + _TOKEN          Upstash over REST (needs @upstash/redis installed);
    or KV_REST_API_URL + KV_REST_API_TOKEN   the same names as Vercel's Redis integration sets
  REDIS_URL                                any Redis server`;

/**
 * Connects to the shared store that `--redis-url`, the Upstash variables or `REDIS_URL` name, with the client
 * the user's app already has installed: this package depends on none of them.
 */
export async function connectRedis(
  redisURL: string | undefined,
  env: Record<string, string | undefined> = process.env,
): Promise<RedisConnection> {
  if (redisURL != null && redisURL !== '') return connectTcp(redisURL);
  const upstashURL = env.UPSTASH_REDIS_REST_URL || env.KV_REST_API_URL;
  const upstashToken = env.UPSTASH_REDIS_REST_TOKEN || env.KV_REST_API_TOKEN;
  if (upstashURL && upstashToken) {
    const { Redis } = await loadOptional<UpstashModule>('@upstash/redis', 'Upstash over REST');
    return {
      client: new Redis({ url: upstashURL, token: upstashToken }),
      description: `Upstash Redis at ${upstashURL}`,
      close: async () => {},
    };
  }
  if (upstashURL || upstashToken) {
    throw new CliError(
      'Set both UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (or KV_REST_API_URL and KV_REST_API_TOKEN). Nothing was changed.',
      EXIT_CODES.usage,
    );
  }
  if (env.REDIS_URL) return connectTcp(env.REDIS_URL);
  throw new CliError(
    `Say which Redis holds the shared login. Nothing was changed.\n${REDIS_ENVIRONMENT_HELP}`,
    EXIT_CODES.usage,
  );
}

async function connectTcp(url: string): Promise<RedisConnection> {
  const where = describeRedisURL(url);
  const description = `Redis at ${where}`;
  const failed = (error: unknown) =>
    new CliError(
      `Could not connect to ${description}: ${error instanceof Error ? error.message : String(error)}. Nothing was changed.`,
    );

  const ioredis = await importOptional<IORedisModule>('ioredis');
  if (ioredis != null) {
    // One attempt, no reconnection loop: a wrong URL must fail now, not hang.
    const client = new ioredis.default(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw failed(error);
    }
    return {
      client: client as unknown as CodexRedisClient,
      description,
      close: () => client.quit().then(() => {}),
    };
  }

  const { createClient } = await loadOptional<NodeRedisModule>('redis', 'a Redis server', 'ioredis');
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  // node-redis emits connection errors as events; connect() rejects with them too.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw failed(error);
  }
  return {
    client: client as unknown as CodexRedisClient,
    description,
    close: () => client.quit().then(() => {}),
  };
}

/** `host:port` (and the database), never the user name or password a Redis URL may carry. */
export function describeRedisURL(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(
      'The Redis URL is not a URL; expected e.g. redis://default:PASSWORD@HOST:6379 or rediss://… for TLS. Nothing was changed.',
      EXIT_CODES.usage,
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new CliError(
      `The Redis URL must start with redis:// or rediss:// (TLS), not ${parsed.protocol}//. For Upstash over REST, set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN instead. Nothing was changed.`,
      EXIT_CODES.usage,
    );
  }
  const database = parsed.pathname.length > 1 ? parsed.pathname : '';
  return `${parsed.hostname}:${parsed.port || '6379'}${database}`;
}

async function importOptional<T>(name: string): Promise<T | undefined> {
  try {
    // A non-literal specifier keeps the bundler from inlining a client this package does not depend on.
    const specifier = name;
    return (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

async function loadOptional<T>(name: string, what: string, alternative?: string): Promise<T> {
  const loaded = await importOptional<T>(name);
  if (loaded != null) return loaded;
  throw new CliError(
    `Talking to ${what} needs the ${name} package${alternative != null ? ` (or ${alternative})` : ''}, which your app uses for the store too: run \`npm install ${name}\` in the app's folder and run this command there. Nothing was changed.`,
    EXIT_CODES.usage,
  );
}
