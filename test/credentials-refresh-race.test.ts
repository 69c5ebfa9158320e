import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodexAuthError } from '../src/auth/codex-auth-error';
import { createCodexCliCredentialStore } from '../src/auth/stores/file-store';
import { CodexTokenManager } from '../src/auth/token-manager';
import type { EmulatorLogin } from '../src/testing';
import { callBackend, expectNoTokensIn, useExpiredLoginsWithCodexHome } from './support/auth-harness';

// A lost race must not log out the winner: the emulator lets a spent token be presented again for a while.
const ctx = useExpiredLoginsWithCodexHome({ refreshReuseGraceMs: 60_000 });
const RACE_WAIT_MS = 1_500;

const authJsonPath = () => join(ctx.codexHome, 'auth.json');
const writeAuthJson = (login: EmulatorLogin) =>
  writeFile(authJsonPath(), JSON.stringify(ctx.emulator.authJson(login), null, 2), { mode: 0o600 });

/** Another holder of the login (e.g. the Codex CLI, which refreshes before it locks) redeems its refresh token. */
async function rivalRefresh(refreshToken: string): Promise<{ access_token: string; refresh_token: string }> {
  const response = await fetch(ctx.emulator.tokenURL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token: string };
}

const manager = () =>
  new CodexTokenManager({
    source: createCodexCliCredentialStore({ codexHome: ctx.codexHome }),
    tokenURL: ctx.emulator.tokenURL,
    refreshRaceWaitMs: RACE_WAIT_MS,
  });

describe('losing a refresh race (refresh_token_reused)', () => {
  it('waits for the winner’s tokens to reach the store and goes on with them', async () => {
    const login = await ctx.expiredLogin();
    await writeAuthJson(login);
    const rotated = await rivalRefresh(login.refreshToken);
    // The winner writes auth.json a moment after our refresh was refused.
    const winnerWrites = new Promise(resolve => setTimeout(resolve, 500)).then(async () => {
      const file = JSON.parse(await readFile(authJsonPath(), 'utf8'));
      file.tokens.access_token = rotated.access_token;
      file.tokens.refresh_token = rotated.refresh_token;
      await writeFile(authJsonPath(), JSON.stringify(file, null, 2));
    });

    const auth = manager();
    expect(await callBackend(ctx.emulator.baseURL, auth)).toBe(200);
    await winnerWrites;

    expect((await auth.getCredentials()).accessToken).toBe(rotated.access_token);
    expect(ctx.emulator.counters.reuseRejections).toBe(1);
    // Our one refresh was refused; nothing else was presented.
    expect(ctx.emulator.counters.tokenRequests).toBe(2);
    expect(JSON.parse(await readFile(authJsonPath(), 'utf8')).tokens.refresh_token).toBe(
      rotated.refresh_token,
    );
  });

  it('asks for a new login with a typed error once the bounded wait ends with no winner’s tokens', async () => {
    const login = await ctx.expiredLogin();
    await writeAuthJson(login);
    // Redeemed elsewhere, and the new tokens never reach this store.
    await rivalRefresh(login.refreshToken);
    const before = await readFile(authJsonPath());

    const started = Date.now();
    const error = await manager()
      .getCredentials()
      .catch(error => error);
    const waited = Date.now() - started;

    expect(CodexAuthError.isInstance(error)).toBe(true);
    expect(error.reason).toBe('login-required');
    expect(error.oauthErrorCode).toBe('refresh_token_reused');
    expect(error.message).toContain('npx ai-sdk-provider-codex login');
    expectNoTokensIn(error, login);
    expect(waited).toBeGreaterThanOrEqual(RACE_WAIT_MS);
    expect(waited).toBeLessThan(RACE_WAIT_MS + 3_000);
    expect(ctx.emulator.counters.tokenRequests).toBe(2);
    expect(await readFile(authJsonPath())).toEqual(before);
  });
});
