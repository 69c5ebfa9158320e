import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodexAuthError } from '../src/auth/codex-auth-error';
import type { CodexCredentialStore } from '../src/auth/codex-credential-source';
import { createMemoryCredentialStore } from '../src/auth/sources/memory-store';
import { createCodexCliCredentialStore } from '../src/auth/stores/file-store';
import { CodexTokenManager } from '../src/auth/token-manager';
import type { CodexEmulator } from '../src/testing';
import { callBackend, expectNoTokensIn, useExpiredLoginsWithCodexHome } from './support/auth-harness';

const ctx = useExpiredLoginsWithCodexHome();

async function writeAuthJson(login: Parameters<CodexEmulator['authJson']>[0], extra = {}) {
  await writeFile(
    join(ctx.codexHome, 'auth.json'),
    JSON.stringify({ ...ctx.emulator.authJson(login), ...extra }, null, 2),
    { mode: 0o600 },
  );
}

describe('one process', () => {
  it('refreshes an expired token exactly once for 1,000 concurrent calls, and every call succeeds', async () => {
    const login = await ctx.expiredLogin();
    await writeAuthJson(login);
    const auth = new CodexTokenManager({
      source: createCodexCliCredentialStore({ codexHome: ctx.codexHome }),
      tokenURL: ctx.emulator.tokenURL,
    });

    const statuses = await Promise.all(
      Array.from({ length: 1000 }, () => callBackend(ctx.emulator.baseURL, auth)),
    );

    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(ctx.emulator.counters.refreshes).toBe(1);
    expect(ctx.emulator.counters.reuseRejections).toBe(0);
    const file = JSON.parse(await readFile(join(ctx.codexHome, 'auth.json'), 'utf8'));
    expect(file.tokens.refresh_token).not.toBe(login.refreshToken);
    expect((await auth.getCredentials()).accessToken).toBe(file.tokens.access_token);
  });

  it('refreshes within the configured window before expiry, not earlier', async () => {
    const login = await ctx.emulator.login({ accessTokenTtlSeconds: 120 });
    const store = createMemoryCredentialStore({ ...login });
    const lazy = new CodexTokenManager({
      source: store,
      tokenURL: ctx.emulator.tokenURL,
      refreshWindowMs: 60_000,
    });
    expect((await lazy.getCredentials()).accessToken).toBe(login.accessToken);
    expect(ctx.emulator.counters.refreshes).toBe(0);

    const eager = new CodexTokenManager({ source: store, tokenURL: ctx.emulator.tokenURL });
    const refreshed = await eager.getCredentials();
    expect(refreshed.accessToken).not.toBe(login.accessToken);
    expect(refreshed.accountId).toBe(login.accountId);
    expect(ctx.emulator.counters.refreshes).toBe(1);
  });

  it('on a 401 for the current token refreshes once, however many requests saw it', async () => {
    const login = await ctx.emulator.login();
    const auth = new CodexTokenManager({
      source: createMemoryCredentialStore({ ...login }),
      tokenURL: ctx.emulator.tokenURL,
    });
    await auth.getCredentials();
    ctx.emulator.expireAccessToken(login.accessToken);

    const statuses = await Promise.all(
      Array.from({ length: 50 }, () => callBackend(ctx.emulator.baseURL, auth)),
    );

    expect(statuses.every(status => status === 200)).toBe(true);
    expect(ctx.emulator.counters.unauthorized).toBe(50);
    expect(ctx.emulator.counters.refreshes).toBe(1);
  });

  it('adopts a token another holder rotated without the lock, after refresh_token_reused', async () => {
    // Valid for a minute: inside the refresh window, so the manager refreshes, and so will the rival.
    const login = await ctx.emulator.login({ accessTokenTtlSeconds: 60 });
    await writeAuthJson(login);
    const file = createCodexCliCredentialStore({ codexHome: ctx.codexHome });
    // A writer that ignores the lock (an older Codex CLI, ChatMock): it redeems the same refresh token and
    // writes the file while our process still holds the old one in hand.
    let rival: Promise<void> | undefined;
    const unlocked: CodexCredentialStore = {
      ...file,
      update: update =>
        file.update(async current => {
          rival ??= (async () => {
            const rotated = await fetch(ctx.emulator.tokenURL, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
                grant_type: 'refresh_token',
                refresh_token: current!.refreshToken,
              }),
            }).then(response => response.json());
            const raw = JSON.parse(await readFile(join(ctx.codexHome, 'auth.json'), 'utf8'));
            raw.tokens = {
              ...raw.tokens,
              access_token: rotated.access_token,
              refresh_token: rotated.refresh_token,
            };
            await writeFile(join(ctx.codexHome, 'auth.json'), JSON.stringify(raw, null, 2));
          })();
          await rival;
          return update(current);
        }),
    };
    const auth = new CodexTokenManager({ source: unlocked, tokenURL: ctx.emulator.tokenURL });

    const credentials = await auth.getCredentials();

    expect(ctx.emulator.counters.reuseRejections).toBe(1);
    const stored = JSON.parse(await readFile(join(ctx.codexHome, 'auth.json'), 'utf8'));
    expect(credentials.accessToken).toBe(stored.tokens.access_token);
    expect(credentials.accessToken).not.toBe(login.accessToken);
  });

  it('after a permanent refresh failure says how to log in again, without tokens, and presents nothing twice', async () => {
    const login = await ctx.expiredLogin();
    ctx.emulator.invalidateRefreshToken(login.refreshToken);
    const auth = new CodexTokenManager({
      source: createMemoryCredentialStore({ ...login }),
      tokenURL: ctx.emulator.tokenURL,
    });

    const error = await auth.getCredentials().catch(error => error);
    const again = await auth.getCredentials().catch(error => error);

    expect(CodexAuthError.isInstance(error)).toBe(true);
    expect(error.reason).toBe('login-required');
    expect(error.oauthErrorCode).toBe('refresh_token_invalidated');
    expect(error.message).toContain('npx ai-sdk-provider-codex login');
    expect(error.message).toContain('codex login');
    expectNoTokensIn(error, login);
    expect(again).toBe(error);
    expect(ctx.emulator.counters.tokenRequests).toBe(1);
  });

  it('keeps using a still-valid access token when the refresh is refused', async () => {
    const login = await ctx.emulator.login({ accessTokenTtlSeconds: 120 });
    ctx.emulator.expireRefreshToken(login.refreshToken);
    const auth = new CodexTokenManager({
      source: createMemoryCredentialStore({ ...login }),
      tokenURL: ctx.emulator.tokenURL,
    });

    expect((await auth.getCredentials()).accessToken).toBe(login.accessToken);
    expect(await callBackend(ctx.emulator.baseURL, auth)).toBe(200);
    expect(ctx.emulator.counters.refreshFailures).toBe(1);
    expect(ctx.emulator.counters.tokenRequests).toBe(1);
  });

  it('after a transient refresh failure keeps the valid token and does not retry on every call', async () => {
    const login = await ctx.emulator.login({ accessTokenTtlSeconds: 120 });
    ctx.emulator.fault(
      { type: 'http', status: 503, body: { error: 'temporarily_unavailable' } },
      { route: 'token' },
    );
    const auth = new CodexTokenManager({
      source: createMemoryCredentialStore({ ...login }),
      tokenURL: ctx.emulator.tokenURL,
    });

    for (let call = 0; call < 5; call++) {
      expect((await auth.getCredentials()).accessToken).toBe(login.accessToken);
    }
    expect(ctx.emulator.requestsTo('token')).toHaveLength(1);
  });

  it('sends the refresh grant as the Codex CLI does', async () => {
    const login = await ctx.expiredLogin();
    const auth = new CodexTokenManager({
      source: createMemoryCredentialStore({ ...login }),
      tokenURL: ctx.emulator.tokenURL,
    });
    await auth.getCredentials();

    const [request] = ctx.emulator.requestsTo('token');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.bodyText).toBe(
      JSON.stringify({
        client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
        grant_type: 'refresh_token',
        refresh_reason: 'proactive_expiry',
        refresh_token: login.refreshToken,
      }),
    );
  });
});
