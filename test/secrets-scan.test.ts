/**
 * No token the emulator issued (access, refresh and id tokens, before and after refreshes) and not the proxy
 * key may appear in anything the package writes or throws: console output, error messages and every field of
 * thrown errors (`requestBodyValues`, `responseHeaders`, `responseBody`, `data`, `cause`, ai's retry errors),
 * results, the proxy's `--verbose` log and its answers, the CLI's output — and every file written is readable
 * by its owner only (mode 0600).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateText, streamText } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCodexCliCredentialStore } from '../src/auth/stores/file-store';
import { CodexTokenManager } from '../src/auth/token-manager';
import { createCodex } from '../src/codex-provider';
import { createCodexProxy } from '../src/proxy';
import {
  type CodexEmulator,
  failedTurn,
  httpError,
  messageItem,
  stallConnection,
  startCodexEmulator,
  textTurn,
} from '../src/testing';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli, startCli } from './support/cli-process';

const PROXY_KEY = 'secrets-scan-proxy-key-5d1f7a93c2e8';

let emulator: CodexEmulator;
beforeAll(async () => {
  emulator = await startCodexEmulator({ deviceCodeIntervalSeconds: 1 });
});
afterAll(async () => {
  await emulator.close();
});

/** Every token the emulator handed out or saw: logins, bearer tokens, presented refresh tokens, stored ones. */
async function issuedSecrets(extra: string[], authJsonPaths: string[]): Promise<Set<string>> {
  const secrets = new Set(extra);
  for (const request of emulator.requests) {
    const bearer = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) secrets.add(bearer);
    const body = request.body as Record<string, unknown> | undefined;
    for (const field of ['refresh_token', 'token', 'code', 'device_auth_id'] as const) {
      if (typeof body?.[field] === 'string') secrets.add(body[field] as string);
    }
  }
  for (const path of authJsonPaths) {
    const tokens = JSON.parse(await readFile(path, 'utf8')).tokens as Record<string, string>;
    for (const field of ['access_token', 'refresh_token', 'id_token']) secrets.add(tokens[field]!);
  }
  // Short values (e.g. an empty field) would match anything.
  return new Set([...secrets].filter(secret => secret.length >= 16));
}

/** Every string reachable from a value: own properties (enumerable or not), causes, stacks, headers. */
function strings(value: unknown, seen = new Set<unknown>(), depth = 0): string[] {
  if (typeof value === 'string') return [value];
  if (value == null || typeof value !== 'object' || seen.has(value) || depth > 10) return [];
  seen.add(value);
  if (value instanceof Headers || value instanceof Map) {
    return [...value.entries()].flatMap(entry => strings(entry, seen, depth + 1));
  }
  if (value instanceof URL) return [value.href];
  return Object.getOwnPropertyNames(value).flatMap(name => {
    const property = (value as Record<string, unknown>)[name];
    return typeof property === 'function' ? [] : [name, ...strings(property, seen, depth + 1)];
  });
}

function expectNoSecret(texts: string[], secrets: Set<string>, where: string) {
  const text = texts.join('\n');
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`${where} contains a secret (…${secret.slice(-8)})`);
  }
}

/** Files under `dir`, recursively. */
async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter(entry => entry.isFile()).map(entry => join(entry.parentPath, entry.name));
}

async function expectOwnerOnly(files: string[]) {
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    expect(`${file} ${((await stat(file)).mode & 0o777).toString(8)}`).toBe(`${file} 600`);
  }
}

describe('the provider and the proxy in process', () => {
  let codexHome: string;
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(codexHome, { recursive: true, force: true });
  });

  it('keeps every token out of logs, thrown errors, results and proxy output', async () => {
    codexHome = await mkdtemp(join(tmpdir(), 'codex-secrets-'));
    const authJsonPath = join(codexHome, 'auth.json');
    // Inside the refresh window: the first call refreshes, so rotated tokens are in play too.
    const first = await emulator.login({ accessTokenTtlSeconds: 120 });
    await writeFile(authJsonPath, JSON.stringify(emulator.authJson(first), null, 2), { mode: 0o600 });

    const logged: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(...args.flatMap(arg => strings(arg)));
      });
    }
    const auth = new CodexTokenManager({
      source: createCodexCliCredentialStore({ codexHome }),
      tokenURL: emulator.tokenURL,
      refreshTimeoutMs: 500,
    });
    const codex = createCodex({ baseURL: emulator.baseURL, auth, streamIdleTimeoutMs: 300 });
    const model = codex('gpt-5.5');
    const thrown: unknown[] = [];
    const results: unknown[] = [];
    const attempt = async (run: () => PromiseLike<unknown>) => {
      try {
        results.push(await run());
      } catch (error) {
        thrown.push(error);
      }
    };
    const generate = (maxRetries = 0) => generateText({ model, prompt: 'Hi', maxRetries });

    emulator.enqueue(textTurn('Fine.'));
    await attempt(() => generate());
    emulator.enqueue(httpError(500, { detail: 'boom' }));
    await attempt(() => generate());
    emulator.fault(
      httpError(503, { error: { message: 'busy', type: 'server_error' } }, { 'retry-after-ms': '0' }),
      {
        times: 3,
      },
    );
    await attempt(() => generate(2));
    emulator.setRateLimits({ primary: { usedPercent: 100 } });
    await attempt(() => generate());
    emulator.setRateLimits({ primary: { usedPercent: 10 } });
    emulator.enqueue(stallConnection());
    await attempt(() => generate());
    emulator.enqueue(textTurn('one two three four', { dropAfter: 5 }));
    await attempt(() => generate());
    emulator.enqueue(
      failedTurn({ code: 'server_error', message: 'Broke.' }, { output: [messageItem('Part')] }),
    );
    await attempt(() =>
      model.doGenerate({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] }),
    );
    emulator.enqueue(textTurn('Streamed.'));
    await attempt(async () => {
      const result = streamText({ model, prompt: 'Hi' });
      const parts: unknown[] = [];
      for await (const part of result.fullStream) parts.push(part);
      return { parts, response: await result.response, request: await result.request };
    });

    // The backend rejects the token and the token endpoint is down, then the login is revoked for good.
    const { accessToken: current } = await auth.getCredentials();
    emulator.expireAccessToken(current);
    emulator.fault(httpError(503, { error: 'temporarily_unavailable' }), { route: 'token' });
    await attempt(() => generate());
    emulator.revokeLogin(JSON.parse(await readFile(authJsonPath, 'utf8')).tokens.refresh_token);
    await attempt(() => generate());

    // The proxy in front of a second login, verbose, with clients that misbehave.
    const second = await emulator.login();
    const proxyHome = join(codexHome, 'proxy');
    const proxyLog: string[] = [];
    const proxyAuthJson = join(proxyHome, 'auth.json');
    await mkdir(proxyHome, { mode: 0o700 });
    await writeFile(proxyAuthJson, JSON.stringify(emulator.authJson(second), null, 2), { mode: 0o600 });
    const proxy = createCodexProxy({
      apiKey: PROXY_KEY,
      allowedHosts: ['proxy.test'],
      verbose: true,
      logger: { info: line => proxyLog.push(line), error: line => proxyLog.push(line) },
      codex: {
        baseURL: emulator.baseURL,
        auth: new CodexTokenManager({
          source: createCodexCliCredentialStore({ codexHome: proxyHome }),
          tokenURL: emulator.tokenURL,
        }),
      },
    });
    const answers: string[] = [];
    const send = async (path: string, body: unknown, headers: Record<string, string> = {}, to = proxy) => {
      const response = await to(
        new Request(`http://proxy.test/v1${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { authorization: `Bearer ${PROXY_KEY}`, 'content-type': 'application/json', ...headers },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        }),
      );
      answers.push(JSON.stringify([...response.headers]), await response.text());
    };
    const chat = (content: string, extra: object = {}) => ({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content }],
      ...extra,
    });
    await send('/chat/completions', chat('hello'));
    await send('/chat/completions', chat('stream please', { stream: true }));
    await send('/responses', { model: 'gpt-5.5', input: 'hi', stream: true });
    emulator.enqueue(httpError(500, { detail: 'upstream broke' }));
    await send('/chat/completions', chat('fail'));
    await send('/models', undefined);
    // A client that sends the proxy's own upstream tokens where the key goes, and in its messages.
    await send('/models', undefined, { authorization: `Bearer ${second.accessToken}` });
    await send('/models', undefined, { 'x-api-key': second.refreshToken });
    await send('/chat/completions', chat(`my tokens are ${second.accessToken} and ${second.refreshToken}`));
    // Requests the proxy refuses, with tokens in every part the logs or answers could echo.
    await send('/chat/completions', chat(`from a page ${second.accessToken}`), {
      origin: 'https://evil.test',
    });
    await send('/chat/completions', chat(`as text ${second.refreshToken}`), { 'content-type': 'text/plain' });
    await send('/chat/completions', chat('hi', { prompt_cache_key: `${second.accessToken}\r\nx: y` }));
    await send('/chat/completions', { model: second.accessToken, messages: Array(50_001).fill({}) });
    // A token straddling the point where --verbose cuts a long body.
    await send('/chat/completions', chat(`${'x'.repeat(1940)} ${second.accessToken}`));
    emulator.expireAccessToken(second.accessToken);
    await send('/chat/completions', chat('after a refresh'));
    // A proxy whose own login is gone: its answer says so without naming the server's files.
    const missingHome = join(codexHome, 'missing-login');
    const withoutLogin = createCodexProxy({
      apiKey: PROXY_KEY,
      allowedHosts: ['proxy.test'],
      logger: { info: line => proxyLog.push(line), error: line => proxyLog.push(line) },
      codex: {
        baseURL: emulator.baseURL,
        auth: new CodexTokenManager({
          source: createCodexCliCredentialStore({ codexHome: missingHome }),
          tokenURL: emulator.tokenURL,
        }),
      },
    });
    await send('/chat/completions', chat('hi'), {}, withoutLogin);
    expect(answers.at(-1)).toContain('codex_auth_');
    expect(answers.join('\n')).not.toContain(codexHome);
    expect(proxyLog.join('\n')).toContain(missingHome);

    const secrets = await issuedSecrets(
      [
        PROXY_KEY,
        first.accessToken,
        first.refreshToken,
        first.idToken,
        second.accessToken,
        second.refreshToken,
        second.idToken,
      ],
      [authJsonPath, proxyAuthJson],
    );
    expect(secrets.size).toBeGreaterThanOrEqual(12);
    expect(thrown.length).toBeGreaterThanOrEqual(8);
    expectNoSecret(logged, secrets, 'the console');
    for (const [index, error] of thrown.entries())
      expectNoSecret(strings(error), secrets, `thrown error #${index}`);
    expectNoSecret(
      results.flatMap(result => strings(result)),
      secrets,
      'a result',
    );
    expectNoSecret(proxyLog, secrets, 'the proxy log');
    expectNoSecret(answers, secrets, 'a proxy answer');
    expect(proxyLog.join('\n')).toContain('→ POST /v1/chat/completions');
    await expectOwnerOnly(await filesIn(codexHome));
  });
});

describe('the CLI', () => {
  it(
    'login, status, models and serve --verbose print no token, and write files only their owner can read',
    async () => {
      const sandbox = await createCliSandbox(emulator);
      try {
        const login = startCli(['login', '--device'], sandbox.env);
        const [, userCode] = await login.waitFor(/^\s+([A-Z0-9]{4}-[A-Z0-9]{5})\s*$/m);
        expect(emulator.approveDeviceCode(userCode!)).toBe(true);
        const outputs = [await login.exited];
        outputs.push(await runCli(['status'], sandbox.env));
        outputs.push(await runCli(['status', '--json'], sandbox.env));
        outputs.push(await runCli(['models', '--json'], sandbox.env));

        const keyFile = join(sandbox.root, 'proxy.key');
        await writeFile(keyFile, `${PROXY_KEY}\n`, { mode: 0o600 });
        const serve = startCli(['serve', '--port', '0', '--verbose', '--api-key-file', keyFile], sandbox.env);
        const [, url] = await serve.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 'stdout');
        const stored = JSON.parse(await readFile(sandbox.authJsonPath, 'utf8')).tokens;
        const post = (body: unknown, key = PROXY_KEY) =>
          fetch(`${url}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }).then(response => response.text());
        const chat = { model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] };
        const answers = [await post(chat)];
        emulator.enqueue(httpError(500, { detail: 'upstream broke' }));
        answers.push(await post(chat));
        answers.push(await post(chat, stored.access_token));
        answers.push(await post({ ...chat, prompt_cache_key: `${stored.refresh_token}\u2028` }));
        // The backend rejects the token: the proxy refreshes and rotates the stored login.
        emulator.expireAccessToken(stored.access_token);
        answers.push(await post(chat));
        await serve.waitFor(
          /← POST \/v1\/chat\/completions 200 in \d+ ms\n(?:.*\n)*.*← POST \/v1\/chat\/completions 200/,
        );
        serve.child.kill('SIGINT');
        outputs.push(await serve.exited);

        const secrets = await issuedSecrets([PROXY_KEY], [sandbox.authJsonPath]);
        expect(secrets.size).toBeGreaterThanOrEqual(6);
        expect(emulator.counters.refreshes).toBeGreaterThanOrEqual(1);
        for (const [index, output] of outputs.entries()) {
          expect(output.code).toBe(0);
          expectNoSecret([output.stdout, output.stderr], secrets, `CLI run #${index}`);
        }
        expectNoSecret(answers, secrets, 'a proxy answer');
        await expectOwnerOnly(await filesIn(sandbox.root));
      } finally {
        await sandbox.cleanup();
      }
    },
    CLI_TEST_TIMEOUT_MS * 2,
  );
});
