/**
 * Credentials under faults, through the language model and `ai` over real HTTP: 401 storms, and the token
 * endpoint down (error answers, dropped connections, stalls) while a refresh is due or forced. The stored
 * login must never be lost or spent, and every failure must say what happened.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APICallError } from '@ai-sdk/provider';
import { generateText } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodexAuthError } from '../src/auth/codex-auth-error';
import { createCodexCliCredentialStore } from '../src/auth/stores/file-store';
import { CodexTokenManager } from '../src/auth/token-manager';
import { createCodex } from '../src/codex-provider';
import {
  type CodexEmulator,
  dropConnection,
  type EmulatorLogin,
  httpError,
  stallConnection,
  startCodexEmulator,
  textTurn,
} from '../src/testing';

let emulator: CodexEmulator;
let codexHome: string;

beforeEach(async () => {
  emulator = await startCodexEmulator();
  codexHome = await mkdtemp(join(tmpdir(), 'codex-faults-auth-'));
});

afterEach(async () => {
  await emulator.close();
  await rm(codexHome, { recursive: true, force: true });
});

const authJsonPath = () => join(codexHome, 'auth.json');

async function writeLogin(login: EmulatorLogin) {
  await writeFile(authJsonPath(), JSON.stringify(emulator.authJson(login), null, 2), { mode: 0o600 });
}

async function storedTokens(): Promise<{ access_token: string; refresh_token: string; id_token: string }> {
  return JSON.parse(await readFile(authJsonPath(), 'utf8')).tokens;
}

/** A provider over the Codex CLI's auth.json in the temp CODEX_HOME, refreshed by a token manager. */
function providerOverAuthJson(options: { refreshTimeoutMs?: number } = {}) {
  const auth = new CodexTokenManager({
    source: createCodexCliCredentialStore({ codexHome }),
    tokenURL: emulator.tokenURL,
    refreshTimeoutMs: options.refreshTimeoutMs ?? 2000,
  });
  return createCodex({ baseURL: emulator.baseURL, auth });
}

/** The stored refresh token still works: a fresh process (a new manager) can refresh with it. */
async function expectStoredLoginUsable() {
  const before = await storedTokens();
  for (const field of ['access_token', 'refresh_token', 'id_token'] as const) {
    expect(before[field].length).toBeGreaterThan(0);
  }
  const refreshesBefore = emulator.counters.refreshes;
  const fresh = new CodexTokenManager({
    source: createCodexCliCredentialStore({ codexHome }),
    tokenURL: emulator.tokenURL,
    // Everything is inside this window: the manager refreshes at once.
    refreshWindowMs: 365 * 24 * 3600 * 1000,
  });
  await fresh.getCredentials();
  expect(emulator.counters.refreshes).toBe(refreshesBefore + 1);
  expect((await storedTokens()).refresh_token).not.toBe(before.refresh_token);
}

describe('401 storms', () => {
  it('50 concurrent calls on a revoked access token refresh once and all succeed', async () => {
    const login = await emulator.login();
    await writeLogin(login);
    const codex = providerOverAuthJson();
    // Warm the manager, then make the token it holds invalid on the backend.
    emulator.enqueue(textTurn('warm'));
    await generateText({ model: codex('gpt-5.5'), prompt: 'Hi' });
    emulator.expireAccessToken(login.accessToken);

    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 0 }),
      ),
    );

    expect(results.every(result => result.text.length > 0)).toBe(true);
    expect(emulator.counters.refreshes).toBe(1);
    expect(emulator.counters.reuseRejections).toBe(0);
    expect((await storedTokens()).refresh_token).not.toBe(login.refreshToken);
  });

  it('a backend that answers 401 to everything: one refresh, a clear non-retryable 401 each, nothing lost', async () => {
    const login = await emulator.login();
    await writeLogin(login);
    const codex = providerOverAuthJson();
    emulator.fault(httpError(401, { detail: 'Unauthorized' }), { route: 'responses', times: 1000 });

    const errors = await Promise.all(
      Array.from({ length: 30 }, () =>
        generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 2 }).then(
          () => undefined,
          (error: unknown) => error,
        ),
      ),
    );

    for (const error of errors) {
      expect(APICallError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ statusCode: 401, isRetryable: false, message: 'Unauthorized' });
    }
    // Each call tried once and once more after the single refresh; ai did not retry a 401.
    expect(emulator.counters.requests.responses).toBe(60);
    expect(emulator.counters.refreshes).toBe(1);
    expect(emulator.counters.reuseRejections).toBe(0);

    emulator.reset();
    emulator.enqueue(textTurn('Back in.'));
    const result = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 0 });
    expect(result.text).toBe('Back in.');
    await expectStoredLoginUsable();
  });
});

describe('the token endpoint down during a refresh', () => {
  it.each([
    ['answers 503', () => httpError(503, { error: 'temporarily_unavailable' })],
    ['answers 500 with HTML', () => httpError(500, '<html>Internal Server Error</html>')],
    ['drops the connection', () => dropConnection()],
    ['never answers', () => stallConnection()],
  ])(
    'when it %s, a still-valid token keeps working and the login refreshes once the endpoint is back',
    async (_label, fault) => {
      // Inside the 5-minute refresh window, but still valid: the refresh is proactive.
      const login = await emulator.login({ accessTokenTtlSeconds: 120 });
      await writeLogin(login);
      const codex = providerOverAuthJson({ refreshTimeoutMs: 300 });
      emulator.fault(fault(), { route: 'token' });
      emulator.enqueue(textTurn('Still served.'));

      const result = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 0 });
      expect(result.text).toBe('Still served.');
      expect(emulator.requestsTo('responses')[0]?.headers.authorization).toBe(`Bearer ${login.accessToken}`);
      expect(emulator.counters.refreshes).toBe(0);
      expect(await storedTokens()).toMatchObject({ refresh_token: login.refreshToken });

      // The endpoint is back: the stored login is intact and refreshes (in this process or a new one).
      await expectStoredLoginUsable();
      expect(emulator.counters.reuseRejections).toBe(0);
    },
  );

  it.each([
    ['answers 503', () => httpError(503, { error: 'temporarily_unavailable' })],
    ['drops the connection', () => dropConnection()],
    ['never answers', () => stallConnection()],
  ])(
    'when it %s after a 401, the call fails with a retryable CodexAuthError and the stored login survives',
    async (_label, fault) => {
      const login = await emulator.login();
      await writeLogin(login);
      emulator.expireAccessToken(login.accessToken);
      const codex = providerOverAuthJson({ refreshTimeoutMs: 300 });
      emulator.fault(fault(), { route: 'token' });

      const error = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 0 }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(CodexAuthError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ reason: 'refresh-failed', isRetryable: true });
      expect((error as Error).message).toMatch(/token endpoint/);
      expect(await storedTokens()).toMatchObject({ refresh_token: login.refreshToken });
      expect(emulator.counters.refreshes).toBe(0);

      await expectStoredLoginUsable();
      expect(emulator.counters.reuseRejections).toBe(0);
    },
  );

  it('a process whose refresh failed on a 5xx refreshes on its next call once the endpoint is back', async () => {
    const login = await emulator.login();
    await writeLogin(login);
    emulator.expireAccessToken(login.accessToken);
    const codex = providerOverAuthJson();
    emulator.fault(httpError(503, { error: 'temporarily_unavailable' }), { route: 'token' });
    await expect(generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 0 })).rejects.toSatisfy(
      error => CodexAuthError.isInstance(error) && error.reason === 'refresh-failed',
    );

    emulator.enqueue(textTurn('Refreshed and served.'));
    const result = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 0 });
    expect(result.text).toBe('Refreshed and served.');
    expect(emulator.counters.refreshes).toBe(1);
    expect(emulator.counters.reuseRejections).toBe(0);
  });
});
