import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

export interface UpstashRestBridge {
  /** What `UPSTASH_REDIS_REST_URL` takes. */
  readonly url: string;
  /** What `UPSTASH_REDIS_REST_TOKEN` takes. */
  readonly token: string;
  /** Commands received, e.g. to check that a client really went through REST. */
  readonly commands: string[];
  close(): Promise<void>;
}

/**
 * Upstash's REST protocol (a command as a JSON array in, `{ result }` out, base64 strings when the client asks
 * with `Upstash-Encoding: base64`) in front of a real Redis: the part of Upstash that `@upstash/redis` talks
 * to, so edge code that reaches Redis over `fetch` runs against a real server.
 */
export async function startUpstashRestBridge(redisURL: string): Promise<UpstashRestBridge> {
  const token = randomUUID();
  const redis = new Redis(redisURL);
  const commands: string[] = [];

  const server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${token}`) return reply(401, { error: 'Unauthorized' });
    const base64 = request.headers['upstash-encoding'] === 'base64';
    try {
      const body = JSON.parse(await readBody(request)) as unknown;
      const run = async (command: unknown) => {
        if (!Array.isArray(command) || typeof command[0] !== 'string') throw new Error('ERR not a command');
        commands.push(command[0].toLowerCase());
        const result = await redis.call(command[0], ...command.slice(1).map(String));
        return { result: base64 ? encode(result) : result };
      };
      if (request.url === '/pipeline') return reply(200, await Promise.all((body as unknown[]).map(run)));
      return reply(200, await run(body));
    } catch (error) {
      return reply(400, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    commands,
    async close() {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
      await redis.quit();
    },
  };
}

function encode(value: unknown): unknown {
  if (typeof value === 'string') return value === 'OK' ? value : Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(encode);
  return value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
