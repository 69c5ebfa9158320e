import { createServer } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CodexAuthError } from '../src/auth/codex-auth-error';
import { isUnspentRefreshError, refreshCodexTokens } from '../src/auth/oauth';
import { type CodexEmulator, startCodexEmulator } from '../src/testing';

let emulator: CodexEmulator;

beforeEach(async () => {
  emulator = await startCodexEmulator();
});

afterEach(async () => {
  await emulator.close();
});

it('rotates the refresh token and returns the new tokens', async () => {
  const login = await emulator.login();
  const tokens = await refreshCodexTokens({ refreshToken: login.refreshToken, tokenURL: emulator.tokenURL });
  expect(tokens.accessToken).toMatch(/^eyJ/);
  expect(tokens.idToken).toMatch(/^eyJ/);
  expect(tokens.refreshToken).not.toBe(login.refreshToken);
});

it.each([
  ['reused', 'refresh_token_reused', /already used/],
  ['expired', 'refresh_token_expired', /has expired/],
  ['invalidated', 'refresh_token_invalidated', /was revoked/],
] as const)('a %s refresh token is a permanent failure: login-required', async (kind, code, message) => {
  const login = await emulator.login();
  if (kind === 'reused')
    await refreshCodexTokens({ refreshToken: login.refreshToken, tokenURL: emulator.tokenURL });
  if (kind === 'expired') emulator.expireRefreshToken(login.refreshToken);
  if (kind === 'invalidated') emulator.invalidateRefreshToken(login.refreshToken);

  const error = await refreshCodexTokens({
    refreshToken: login.refreshToken,
    tokenURL: emulator.tokenURL,
  }).catch(e => e);

  expect(CodexAuthError.isInstance(error)).toBe(true);
  expect(error.reason).toBe('login-required');
  expect(error.oauthErrorCode).toBe(code);
  expect(error.message).toMatch(message);
  expect(error.message).not.toContain(login.refreshToken);
});

it('a server error is transient: refresh-failed, retryable', async () => {
  const login = await emulator.login();
  emulator.fault(
    { type: 'http', status: 503, body: { error: 'temporarily_unavailable' } },
    { route: 'token' },
  );

  const error = await refreshCodexTokens({
    refreshToken: login.refreshToken,
    tokenURL: emulator.tokenURL,
  }).catch(e => e);

  expect(error.reason).toBe('refresh-failed');
  expect(error.isRetryable).toBe(true);
  expect(isUnspentRefreshError(error)).toBe(true);
});

it('a refused connection is transient and known never to have spent the token', async () => {
  const port = await new Promise<number>(resolve => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

  const error = await refreshCodexTokens({
    refreshToken: 'rt',
    tokenURL: `http://127.0.0.1:${port}/oauth/token`,
  }).catch(e => e);

  expect(error.reason).toBe('refresh-failed');
  expect(error.message).toContain('ECONNREFUSED');
  expect(isUnspentRefreshError(error)).toBe(true);
});

it('a success answer whose body is not a token response spends the token: not unspent', async () => {
  const login = await emulator.login();
  emulator.fault({ type: 'http', status: 200, body: '<html>Welcome</html>' }, { route: 'token' });

  const error = await refreshCodexTokens({
    refreshToken: login.refreshToken,
    tokenURL: emulator.tokenURL,
  }).catch(e => e);

  expect(error.reason).toBe('refresh-failed');
  expect(isUnspentRefreshError(error)).toBe(false);
});
