import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCredentialStore } from '../src/auth/stores/redis-store';
import { type CodexEmulator, functionCallTurn, startCodexEmulator, textTurn } from '../src/testing';
import { startEmulatorWithExpiredLogins } from './support/auth-harness';
import { launchChromium } from './support/chromium';
import { runCli } from './support/cli-process';
import { buildNextChat, NEXT_CHAT_DIR, type NextServer, startNextChat } from './support/next-app';
import { type RedisServer, startRedisServer } from './support/redis-server';
import { parseSse } from './support/sse';
import { startUpstashRestBridge, type UpstashRestBridge } from './support/upstash-rest-bridge';

// examples/next-chat, built once with `next build` and run with `next start` against the emulator: the chat
// page in headless Chromium, the proxy route with the official openai client, and instances sharing one Redis.

const PROXY_API_KEY = `proxy-${randomUUID()}`;
// Generous: the first request to each route of `next start` loads it, on a two-core machine running other tests.
const TEST_TIMEOUT_MS = 120_000;
const cleanups: Array<() => Promise<unknown>> = [];

// Installing the example's dependencies (first run) and `next build` take minutes on two cores.
beforeAll(() => buildNextChat(), 20 * 60_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function startApp(env: Record<string, string>): Promise<NextServer> {
  const app = await startNextChat({ HOME: await tempDir('next-chat-home-'), ...env });
  cleanups.push(() => app.stop());
  return app;
}

/** One `useChat` request without a browser: the reply's text and any error chunks of its UI message stream. */
async function chat(url: string, text: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: randomUUID(),
      messages: [{ id: randomUUID(), role: 'user', parts: [{ type: 'text', text }] }],
    }),
  });
  const body = await response.text();
  const chunks = parseSse(body)
    .filter(event => event.data !== '[DONE]')
    .map(event => JSON.parse(event.data) as { type: string; delta?: string; errorText?: string });
  return {
    status: response.status,
    text: chunks
      .filter(chunk => chunk.type === 'text-delta')
      .map(chunk => chunk.delta)
      .join(''),
    errors: chunks.filter(chunk => chunk.type === 'error').map(chunk => chunk.errorText),
    body,
  };
}

describe('on the local login (auth.json)', () => {
  let emulator: CodexEmulator;
  let app: NextServer;

  beforeAll(async () => {
    emulator = await startCodexEmulator();
    cleanups.push(() => emulator.close());
    const codexHome = join(await tempDir('next-chat-codex-'), '.codex');
    await mkdir(codexHome);
    await writeFile(join(codexHome, 'auth.json'), JSON.stringify(emulator.authJson(await emulator.login())));
    app = await startApp({
      CODEX_HOME: codexHome,
      CODEX_BASE_URL: emulator.baseURL,
      CODEX_REFRESH_TOKEN_URL_OVERRIDE: emulator.tokenURL,
      CODEX_PROXY_API_KEY: PROXY_API_KEY,
    });
  }, 120_000);

  it(
    'streams a reply into the chat page and renders the tool call (headless Chromium)',
    async () => {
      emulator.reset();
      emulator.enqueue(
        functionCallTurn({ name: 'weather', arguments: { city: 'Paris' } }),
        // Paced, so that the page shows the text growing word by word.
        textTurn('It is -2 °C and windy in Paris.', { delayMs: 100 }),
      );
      const browser = await launchChromium(await tempDir('next-chat-chromium-'));
      try {
        const page = await browser.newPage();
        await page.goto(app.url);
        // Every text the assistant's message showed, to see it stream in rather than arrive at once.
        await page.evaluate(() => {
          const seen: string[] = [];
          (window as unknown as { assistantTexts: string[] }).assistantTexts = seen;
          new MutationObserver(() => {
            const text = Array.from(
              document.querySelectorAll('[data-role="assistant"] p'),
              p => p.textContent,
            ).join('');
            if (text !== '' && seen.at(-1) !== text) seen.push(text);
          }).observe(document.body, { subtree: true, childList: true, characterData: true });
        });

        await page.getByLabel('Message').fill('What is the weather in Paris?');
        await page.getByRole('button', { name: 'Send' }).click();

        const toolCall = page.locator(
          '[data-testid="tool-call"][data-tool="weather"][data-state="output-available"]',
        );
        await toolCall.waitFor({ timeout: 30_000 });
        expect(await toolCall.textContent()).toBe('Weather in Paris: -2 °C, windy');
        const reply = page.locator('[data-role="assistant"] p', {
          hasText: 'It is -2 °C and windy in Paris.',
        });
        await reply.waitFor({ timeout: 30_000 });
        expect(await page.locator('[data-role="user"]').textContent()).toBe('What is the weather in Paris?');

        const seen = await page.evaluate(
          () => (window as unknown as { assistantTexts: string[] }).assistantTexts,
        );
        expect(seen.at(-1)).toBe('It is -2 °C and windy in Paris.');
        expect(seen.length).toBeGreaterThan(2);
        expect('It is -2 °C and windy in Paris.'.startsWith(seen[0]!)).toBe(true);
      } finally {
        await browser.close();
      }

      // The tool ran in the route handler, and its result went back to the model for the second step.
      const [first, second] = emulator
        .requestsTo('responses')
        .map(request => request.body as { input: unknown[] });
      expect(first?.input).toContainEqual(expect.objectContaining({ role: 'user' }));
      expect(second?.input).toContainEqual(
        expect.objectContaining({
          type: 'function_call_output',
          output: JSON.stringify({ city: 'Paris', temperatureC: -2, conditions: 'windy' }),
        }),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'serves the OpenAI API on /api/openai/v1 to the official openai client, with its key only',
    async () => {
      emulator.reset();
      const client = new OpenAI({
        baseURL: `${app.url}/api/openai/v1`,
        apiKey: PROXY_API_KEY,
        maxRetries: 0,
      });

      emulator.enqueue(textTurn('Hello through the Next.js route.'));
      const completion = await client.chat.completions.create({
        model: 'gpt-5.5',
        messages: [{ role: 'user', content: 'Say hello.' }],
      });
      expect(completion.choices[0]?.message.content).toBe('Hello through the Next.js route.');

      emulator.enqueue(textTurn('Streamed through the route.'));
      const stream = await client.chat.completions.create({
        model: 'gpt-5.5',
        messages: [{ role: 'user', content: 'Stream something.' }],
        stream: true,
      });
      let streamed = '';
      for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
      expect(streamed).toBe('Streamed through the route.');

      const models = await client.models.list();
      expect(models.data.map(model => model.id)).toContain('gpt-5.5');

      const stranger = new OpenAI({
        baseURL: `${app.url}/api/openai/v1`,
        apiKey: 'not-the-key',
        maxRetries: 0,
      });
      await expect(stranger.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      // A page of another site, or one that rebinds its domain to this machine, is refused even with the key.
      const refusals: Array<[Record<string, string>, number]> = [
        [{ origin: 'https://evil.example' }, 403],
        [{ 'content-type': 'text/plain' }, 415],
      ];
      for (const [headers, status] of refusals) {
        const refused = await fetch(`${app.url}/api/openai/v1/chat/completions`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${PROXY_API_KEY}`,
            'content-type': 'application/json',
            ...headers,
          },
          body: JSON.stringify({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'Hi' }] }),
        });
        expect([refused.status, headers]).toEqual([status, headers]);
      }
      expect(emulator.requestsTo('responses')).toHaveLength(2);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('instances sharing one Redis store', () => {
  let emulator: CodexEmulator;
  let redis: RedisServer;
  let client: Redis;
  let bridge: UpstashRestBridge;
  let instances: NextServer[];
  let edgeInstance: NextServer;
  let expiredLogin: Awaited<ReturnType<typeof startEmulatorWithExpiredLogins>>['expiredLogin'];

  beforeAll(async () => {
    // A slow token endpoint keeps the first refresher inside the lock while the other instance arrives.
    ({ emulator, expiredLogin } = await startEmulatorWithExpiredLogins({ tokenEndpointDelayMs: 500 }));
    cleanups.push(() => emulator.close());
    redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    client = new Redis(redis.url);
    cleanups.push(async () => client.disconnect());
    bridge = await startUpstashRestBridge(redis.url);
    cleanups.push(() => bridge.close());

    const backend = {
      CODEX_BASE_URL: emulator.baseURL,
      CODEX_REFRESH_TOKEN_URL_OVERRIDE: emulator.tokenURL,
    };
    instances = await Promise.all([0, 1].map(() => startApp({ ...backend, REDIS_URL: redis.url })));
    edgeInstance = await startApp({
      ...backend,
      UPSTASH_REDIS_REST_URL: bridge.url,
      UPSTASH_REDIS_REST_TOKEN: bridge.token,
    });
  }, 180_000);

  it(
    'the login is uploaded once from auth.json by the CLI; hit at the same moment on an expired token, the instances refresh once and both stream',
    async () => {
      const login = await expiredLogin();
      const home = await tempDir('next-chat-upload-');
      await mkdir(join(home, '.codex'));
      await writeFile(join(home, '.codex', 'auth.json'), JSON.stringify(emulator.authJson(login)));
      const upload = await runCli(['upload', '--move', '--redis-url', redis.url], {
        PATH: process.env.PATH ?? '',
        HOME: home,
        CODEX_HOME: join(home, '.codex'),
        XDG_STATE_HOME: join(home, 'state'),
        NO_COLOR: '1',
      });
      expect(upload.code, upload.stderr).toBe(0);

      const replies = await Promise.all(
        instances.map((app, n) => chat(`${app.url}/api/chat`, `Hello from ${n}`)),
      );

      for (const [n, reply] of replies.entries()) {
        expect(reply.status, reply.body).toBe(200);
        expect(reply.errors).toEqual([]);
        expect(reply.text).toBe(`Hello from the Codex emulator. You said: "Hello from ${n}".`);
      }
      expect(emulator.counters.refreshes).toBe(1);
      expect(emulator.counters.reuseRejections).toBe(0);
      // Both instances sent the one rotated token, which is what the store holds now.
      const stored = await createRedisCredentialStore({ client }).read();
      expect(stored?.accessToken).not.toBe(login.accessToken);
      expect(new Set(emulator.requestsTo('responses').map(request => request.headers.authorization))).toEqual(
        new Set([`Bearer ${stored?.accessToken}`]),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'an edge route reaches the same store over Upstash REST, and shares the one refresh with a Node.js route',
    async () => {
      // The edge route was built for the edge runtime, not Node.js.
      const manifest = JSON.parse(
        await readFile(join(NEXT_CHAT_DIR, '.next/server/middleware-manifest.json'), 'utf8'),
      ) as { functions: Record<string, unknown> };
      expect(Object.keys(manifest.functions)).toContain('/api/edge/chat/route');

      // A new login whose access token has expired replaces the one in the store, and the old one is revoked,
      // so the Node.js instance (which cached the old token) gets a 401 and must come back to the store.
      const previous = await createRedisCredentialStore({ client }).read();
      const login = await expiredLogin();
      await createRedisCredentialStore({ client }).save({
        accessToken: login.accessToken,
        refreshToken: login.refreshToken,
        idToken: login.idToken,
        accountId: login.accountId,
      });
      emulator.revokeLogin(previous!.accessToken);
      const refreshesBefore = emulator.counters.refreshes;
      const commandsBefore = bridge.commands.length;

      const [edge, node] = await Promise.all([
        chat(`${edgeInstance.url}/api/edge/chat`, 'Hello from the edge'),
        chat(`${instances[0]!.url}/api/chat`, 'Hello from Node.js'),
      ]);

      expect(edge.status, edge.body).toBe(200);
      expect(edge.errors).toEqual([]);
      expect(edge.text).toBe('Hello from the Codex emulator. You said: "Hello from the edge".');
      expect(node.status, node.body).toBe(200);
      expect(node.errors).toEqual([]);
      expect(node.text).toBe('Hello from the Codex emulator. You said: "Hello from Node.js".');
      expect(emulator.counters.refreshes - refreshesBefore).toBe(1);
      expect(emulator.counters.reuseRejections).toBe(0);
      expect(bridge.commands.slice(commandsBefore)).toContain('eval');
    },
    TEST_TIMEOUT_MS,
  );
});
