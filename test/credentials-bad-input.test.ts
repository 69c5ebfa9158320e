import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodexAuthError } from '../src/auth/codex-auth-error';
import { createDefaultCodexAuth, detectCodexCredentialSource } from '../src/auth/default-codex-auth';
import { createCodexCliCredentialStore } from '../src/auth/stores/file-store';
import { createKeychainCredentialStore } from '../src/auth/stores/keychain-store';
import { CodexTokenManager } from '../src/auth/token-manager';
import { type CodexEmulator, type EmulatorLogin, startCodexEmulator } from '../src/testing';
import { expectNoTokensIn } from './support/auth-harness';
import { startWorker } from './support/run-worker';

let emulator: CodexEmulator;
let login: EmulatorLogin;
let codexHome: string;
let path: string;

beforeEach(async () => {
  emulator = await startCodexEmulator();
  login = await emulator.login();
  codexHome = await mkdtemp(join(tmpdir(), 'codex-home-'));
  path = join(codexHome, 'auth.json');
});

afterEach(async () => {
  await emulator.close();
  await rm(codexHome, { recursive: true, force: true });
});

/** The error the default auth gives for this CODEX_HOME, checked to be typed and free of any token. */
async function failure(env: Record<string, string> = { CODEX_HOME: codexHome }): Promise<CodexAuthError> {
  const error = await createDefaultCodexAuth({ env, keychain: false, tokenURL: emulator.tokenURL })
    .getCredentials()
    .then(
      () => undefined,
      error => error,
    );
  expect(CodexAuthError.isInstance(error)).toBe(true);
  expectNoTokensIn(error, login);
  return error as CodexAuthError;
}

/** A JWT like the real ones but without the `https://api.openai.com/auth` claim. */
const tokenWithoutAccount = () =>
  new SignJWT({ email: 'someone@example.com' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('x'.repeat(32)));

describe('a bad auth.json gets a typed error naming the file and the fix, and is left as it was', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    [
      'truncated',
      () => JSON.stringify(emulator.authJson(login), null, 2).slice(0, 300),
      /not valid JSON \(it may be truncated\)/,
    ],
    ['empty', () => '', /not valid JSON \(it is empty\)/],
    ['not an object', () => '[1, 2, 3]', /not a Codex auth\.json document/],
    [
      'without an access token',
      () => JSON.stringify({ ...emulator.authJson(login), tokens: { refresh_token: login.refreshToken } }),
      /has no tokens\.access_token/,
    ],
    [
      'holding an API key',
      () =>
        JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-test-not-a-chatgpt-login', tokens: null }),
      /API-key login, not a ChatGPT login/,
    ],
  ];

  it.each(cases)('%s', async (_name, content, expected) => {
    const text = content();
    await writeFile(path, text, { mode: 0o600 });

    const error = await failure();

    expect(error.reason).toBe('malformed');
    expect(error.source).toBe(`Codex CLI auth.json (${path})`);
    expect(error.message).toMatch(expected);
    expect(error.message).toContain('npx ai-sdk-provider-codex login');
    expect(await readFile(path, 'utf8')).toBe(text);
  });
});

it('a partial login without a refresh token is used while valid and then asks for a new login', async () => {
  const expired = await emulator.login({ accessTokenTtlSeconds: -10 });
  const text = JSON.stringify({
    ...emulator.authJson(expired),
    tokens: { ...emulator.authJson(expired).tokens, refresh_token: undefined },
  });
  await writeFile(path, text, { mode: 0o600 });

  const error = await failure();

  expect(error.reason).toBe('login-required');
  expect(error.message).toMatch(/holds no refresh token/);
  expect(error.message).toContain('codex login');
  expect(await readFile(path, 'utf8')).toBe(text);
});

it('an auth.json this user may not read: permission-denied with the commands that fix it', async () => {
  await writeFile(path, JSON.stringify(emulator.authJson(login), null, 2), { mode: 0o600 });
  await chmod(codexHome, 0o755);
  await chmod(path, 0o000);
  // Root reads any file through its capabilities, so as root the worker runs without them; it stays root, so
  // the repository's files stay readable wherever the checkout is (a fresh machine's /root is private).
  const withoutDacCapabilities = [
    'setpriv',
    '--bounding-set=-dac_override,-dac_read_search',
    '--inh-caps=-dac_override,-dac_read_search',
  ];
  const worker = await startWorker(
    { WORKER_STORE: 'file', CODEX_HOME: codexHome, WORKER_BASE_URL: emulator.baseURL },
    { wrapper: process.getuid?.() === 0 ? withoutDacCapabilities : [] },
  );
  const result = await worker.result;

  expect(result.reason).toBe('permission-denied');
  expect(result.error).toContain(path);
  expect(result.error).toContain('chmod 600');
  expect(result.error).not.toContain(login.refreshToken);
}, 60_000);

describe('no account id anywhere', () => {
  it('in auth.json: missing-account-id naming the claim and the login command', async () => {
    const token = await tokenWithoutAccount();
    await writeFile(
      path,
      JSON.stringify({
        ...emulator.authJson(login),
        tokens: { id_token: token, access_token: token, refresh_token: 'rt' },
      }),
      { mode: 0o600 },
    );

    const error = await failure();

    expect(error.reason).toBe('missing-account-id');
    expect(error.message).toContain('chatgpt_account_id');
    expect(error.message).toContain('npx ai-sdk-provider-codex login');
  });

  it('in CODEX_ACCESS_TOKEN: asks for CODEX_ACCOUNT_ID', async () => {
    const error = await failure({ CODEX_ACCESS_TOKEN: await tokenWithoutAccount() });

    expect(error.reason).toBe('missing-account-id');
    expect(error.source).toBe('environment variable CODEX_ACCESS_TOKEN');
    expect(error.message).toContain('Set CODEX_ACCOUNT_ID');
  });
});

it('an expired CODEX_ACCESS_TOKEN is never refreshed and says so', async () => {
  const expired = await emulator.login({ accessTokenTtlSeconds: -10 });

  const error = await failure({
    CODEX_ACCESS_TOKEN: expired.accessToken,
    CODEX_ACCOUNT_ID: expired.accountId,
  });

  expect(error.reason).toBe('expired');
  expect(error.message).toMatch(/read-only, so it cannot be refreshed/);
  expect(emulator.counters.tokenRequests).toBe(0);
});

it('a CODEX_REFRESH_TOKEN alone is refused with the seed recipe, before any refresh', async () => {
  const error = await failure({ CODEX_REFRESH_TOKEN: login.refreshToken, CODEX_HOME: codexHome });

  expect(error.message).toContain('seed');
  expect(emulator.counters.tokenRequests).toBe(0);
});

it('nothing anywhere: missing, listing where it looked', async () => {
  const error = await detectCodexCredentialSource({ env: { CODEX_HOME: codexHome }, keychain: false }).catch(
    error => error,
  );

  expect(error.reason).toBe('missing');
  expect(error.message).toContain(path);
  expect(error.message).toContain('npx ai-sdk-provider-codex login');
});

it('no keychain service reachable: keychain-unavailable naming the entry', async () => {
  const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(codexHome, 'no-bus')}`;
  try {
    const error = await new CodexTokenManager({ source: createKeychainCredentialStore({ account: 'x' }) })
      .getCredentials()
      .catch(error => error);

    expect(error.reason).toBe('keychain-unavailable');
    expect(error.message).toContain('OS keychain entry "ai-sdk-provider-codex" / "x"');
    expect(error.message).toContain('Secret Service');
  } finally {
    if (saved == null) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
  }
});

it('a new login over an unreadable file sets the old one aside instead of overwriting it', async () => {
  await writeFile(path, '{"tokens": {"access_to', { mode: 0o600 });

  await createCodexCliCredentialStore({ codexHome }).save({
    accessToken: login.accessToken,
    refreshToken: login.refreshToken,
    idToken: login.idToken,
    accountId: login.accountId,
  });

  const saved = JSON.parse(await readFile(path, 'utf8'));
  expect(saved).toMatchObject({ auth_mode: 'chatgpt', tokens: { refresh_token: login.refreshToken } });
  const aside = (await readdir(codexHome)).filter(name => name.startsWith('auth.json.unreadable-'));
  expect(aside).toHaveLength(1);
  expect(await readFile(join(codexHome, aside[0]!), 'utf8')).toBe('{"tokens": {"access_to');
});
