import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CODEX_CLIENT_ID,
  type CodexEmulator,
  type CodexEmulatorOptions,
  httpError,
  startCodexEmulator,
} from '../src/testing';
import { postRefresh, postResponses, responsesBody } from './support/emulator-requests';

let emulator: CodexEmulator;
async function start(options?: CodexEmulatorOptions) {
  emulator = await startCodexEmulator(options);
  return emulator;
}
afterEach(async () => {
  await emulator?.close();
});

type TokenBody = { access_token: string; id_token: string; refresh_token: string; expires_in: number };
type ErrorBody = { error: { code: string } };

function pkcePair() {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('token signatures', () => {
  it('signs access and id tokens with RS256 keys published at the discovered JWKS', async () => {
    await start();
    const login = await emulator.login();
    const discovery = (await (await fetch(`${emulator.issuer}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
      token_endpoint: string;
    };
    expect(discovery.issuer).toBe(emulator.issuer);
    expect(discovery.token_endpoint).toBe(emulator.tokenURL);
    const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const id = await jwtVerify(login.idToken, keys, { issuer: emulator.issuer, audience: CODEX_CLIENT_ID });
    expect(id.protectedHeader.alg).toBe('RS256');
    await jwtVerify(login.accessToken, keys, {
      issuer: emulator.issuer,
      audience: 'https://api.openai.com/v1',
    });
    const forged = `${login.accessToken.slice(0, -4)}AAAA`;
    await expect(jwtVerify(forged, keys)).rejects.toThrow();
  });
});

describe('refresh_token grant', () => {
  it('rotates tokens and keeps the family usable', async () => {
    await start();
    const login = await emulator.login();
    const response = await postRefresh(emulator, login.refreshToken);
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as TokenBody;
    expect(tokens.refresh_token).not.toBe(login.refreshToken);
    expect(tokens.access_token).not.toBe(login.accessToken);
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(decodeJwt(tokens.id_token)['https://api.openai.com/auth']).toMatchObject({
      chatgpt_account_id: login.accountId,
    });
    expect(emulator.requestsTo('token')[0]?.body).toEqual({
      client_id: CODEX_CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_reason: 'proactive_expiry',
      refresh_token: login.refreshToken,
    });

    const rotated = { ...login, accessToken: tokens.access_token };
    const turn = await postResponses(emulator, rotated, responsesBody());
    expect(turn.status).toBe(200);
    await turn.text();
    const second = await postRefresh(emulator, tokens.refresh_token);
    expect(second.status).toBe(200);
    expect(emulator.counters).toMatchObject({ tokenRequests: 2, refreshes: 2, refreshFailures: 0 });
  });

  it('answers a reused refresh token with refresh_token_reused and revokes the whole family', async () => {
    await start();
    const login = await emulator.login();
    const rotated = (await (await postRefresh(emulator, login.refreshToken)).json()) as TokenBody;

    const reuse = await postRefresh(emulator, login.refreshToken);
    expect(reuse.status).toBe(401);
    expect(((await reuse.json()) as ErrorBody).error.code).toBe('refresh_token_reused');
    expect(emulator.counters.reuseRejections).toBe(1);

    const newest = await postRefresh(emulator, rotated.refresh_token);
    expect(newest.status).toBe(401);
    expect(((await newest.json()) as ErrorBody).error.code).toBe('refresh_token_invalidated');

    const turn = await postResponses(
      emulator,
      { ...login, accessToken: rotated.access_token },
      responsesBody(),
    );
    expect(turn.status).toBe(401);
    expect(((await turn.json()) as ErrorBody).error.code).toBe('token_invalidated');

    const other = await emulator.login();
    expect((await postRefresh(emulator, other.refreshToken)).status).toBe(200);
  });

  it('within refreshReuseGraceMs answers a reused token refresh_token_reused but keeps the winner signed in', async () => {
    let clock = Date.parse('2026-06-01T00:00:00Z');
    await start({ now: () => clock, refreshReuseGraceMs: 10_000 });
    const login = await emulator.login();
    const rotated = (await (await postRefresh(emulator, login.refreshToken)).json()) as TokenBody;

    const loser = await postRefresh(emulator, login.refreshToken);
    expect(loser.status).toBe(401);
    expect(((await loser.json()) as ErrorBody).error.code).toBe('refresh_token_reused');
    expect(
      (await postResponses(emulator, { ...login, accessToken: rotated.access_token }, responsesBody()))
        .status,
    ).toBe(200);

    clock += 10_000;
    const newest = (await (await postRefresh(emulator, rotated.refresh_token)).json()) as TokenBody;
    // Past the grace period, reuse revokes the login again.
    clock += 10_000;
    expect((await postRefresh(emulator, rotated.refresh_token)).status).toBe(401);
    expect(((await (await postRefresh(emulator, newest.refresh_token)).json()) as ErrorBody).error.code).toBe(
      'refresh_token_invalidated',
    );
  });

  it('holdTokenRequests answers no held request before all have arrived, then in arrival order', async () => {
    await start();
    const login = await emulator.login();
    emulator.holdTokenRequests(2);
    let firstAnswered = false;
    const first = postRefresh(emulator, login.refreshToken).then(async response => {
      firstAnswered = true;
      return response;
    });
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(firstAnswered).toBe(false);

    const second = postRefresh(emulator, login.refreshToken);
    expect((await first).status).toBe(200);
    expect(((await (await second).json()) as ErrorBody).error.code).toBe('refresh_token_reused');
  });

  it('expires and invalidates refresh tokens on demand', async () => {
    await start();
    const a = await emulator.login();
    const b = await emulator.login();
    expect(emulator.expireRefreshToken(a.refreshToken)).toBe(true);
    expect(emulator.invalidateRefreshToken(b.refreshToken)).toBe(true);
    const expired = await postRefresh(emulator, a.refreshToken);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as ErrorBody).error.code).toBe('refresh_token_expired');
    const invalidated = await postRefresh(emulator, b.refreshToken);
    expect(((await invalidated.json()) as ErrorBody).error.code).toBe('refresh_token_invalidated');
    expect(emulator.counters.refreshFailures).toBe(2);
  });

  it('expires refresh tokens by lifetime on the emulator clock', async () => {
    let clock = Date.parse('2026-06-01T00:00:00Z');
    await start({ now: () => clock, refreshTokenTtlSeconds: 60 });
    const login = await emulator.login();
    clock += 61_000;
    const response = await postRefresh(emulator, login.refreshToken);
    expect(((await response.json()) as ErrorBody).error.code).toBe('refresh_token_expired');
  });

  it('rejects unknown refresh tokens, foreign clients and malformed bodies with OAuth errors', async () => {
    await start();
    const login = await emulator.login();
    const unknown = await postRefresh(emulator, 'rt_not-issued-here');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_grant' });

    const foreign = await postJson(emulator.tokenURL, {
      client_id: 'someone-else',
      grant_type: 'refresh_token',
      refresh_token: login.refreshToken,
    });
    expect(foreign.status).toBe(401);
    expect(await foreign.json()).toMatchObject({ error: 'invalid_client' });

    const malformed = await fetch(emulator.tokenURL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_request' });

    const grant = await postJson(emulator.tokenURL, { grant_type: 'password', client_id: CODEX_CLIENT_ID });
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });

    // The foreign-client attempt must not have spent the token.
    expect((await postRefresh(emulator, login.refreshToken)).status).toBe(200);
  });

  it('also accepts a form-encoded refresh grant', async () => {
    await start();
    const login = await emulator.login();
    const response = await postForm(emulator.tokenURL, {
      grant_type: 'refresh_token',
      client_id: CODEX_CLIENT_ID,
      refresh_token: login.refreshToken,
    });
    expect(response.status).toBe(200);
  });

  it('holds token answers for tokenEndpointDelayMs, so concurrent refreshes of one token race', async () => {
    await start({ tokenEndpointDelayMs: 300 });
    const login = await emulator.login();
    const first = postRefresh(emulator, login.refreshToken);
    while (emulator.counters.tokenRequests < 1) await new Promise(resolve => setTimeout(resolve, 5));
    // Received but not answered yet: nothing was rotated.
    expect(emulator.counters.refreshes + emulator.counters.refreshFailures).toBe(0);
    const second = postRefresh(emulator, login.refreshToken);
    const statuses = (await Promise.all([first, second])).map(r => r.status).sort();
    expect(statuses).toEqual([200, 401]);
    expect(emulator.counters.reuseRejections).toBe(1);
  });

  it('lets a scripted fault hit the token endpoint', async () => {
    await start();
    const login = await emulator.login();
    emulator.fault(httpError(503, { error: 'temporarily_unavailable' }), { route: 'token' });
    expect((await postRefresh(emulator, login.refreshToken)).status).toBe(503);
    expect((await postRefresh(emulator, login.refreshToken)).status).toBe(200);
  });
});

describe('access tokens on the backend', () => {
  it('answers expired, unknown and missing tokens with 401', async () => {
    await start();
    const expired = await emulator.login({ accessTokenTtlSeconds: 0 });
    const response = await postResponses(emulator, expired, responsesBody());
    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorBody).error.code).toBe('token_expired');
    expect(response.headers.get('x-codex-primary-used-percent')).not.toBeNull();

    const unknown = await postResponses(
      emulator,
      { ...expired, accessToken: 'not-a-token' },
      responsesBody(),
    );
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ detail: 'Unauthorized' });

    const missing = await fetch(`${emulator.baseURL}/models?client_version=0.171.0`);
    expect(missing.status).toBe(401);
    expect(emulator.counters.unauthorized).toBe(3);
  });

  it('expires and revokes access tokens on demand', async () => {
    await start();
    const a = await emulator.login();
    const b = await emulator.login();
    emulator.expireAccessToken(a.accessToken);
    emulator.revokeLogin(b);
    const expired = await postResponses(emulator, a, responsesBody());
    expect(((await expired.json()) as ErrorBody).error.code).toBe('token_expired');
    const revoked = await postResponses(emulator, b, responsesBody());
    expect(((await revoked.json()) as ErrorBody).error.code).toBe('token_invalidated');
    const refresh = await postRefresh(emulator, b.refreshToken);
    expect(((await refresh.json()) as ErrorBody).error.code).toBe('refresh_token_invalidated');
  });

  it('accepts anonymous requests only when requireAuth is off', async () => {
    await start({ requireAuth: false });
    const response = await fetch(`${emulator.baseURL}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(responsesBody()),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('response.completed');
  });

  it('revokes a login through POST /oauth/revoke', async () => {
    await start();
    const login = await emulator.login();
    const response = await postJson(`${emulator.issuer}/oauth/revoke`, {
      token: login.refreshToken,
      token_type_hint: 'refresh_token',
      client_id: CODEX_CLIENT_ID,
    });
    expect(response.status).toBe(200);
    expect((await postResponses(emulator, login, responsesBody())).status).toBe(401);
  });
});

describe('browser login (PKCE)', () => {
  const redirectUri = 'http://localhost:1455/auth/callback';
  const authorizeUrl = (params: Record<string, string>) =>
    `${emulator.issuer}/oauth/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: CODEX_CLIENT_ID,
      redirect_uri: redirectUri,
      scope: 'openid profile email offline_access',
      code_challenge_method: 'S256',
      state: 'state-123',
      ...params,
    })}`;

  it('auto-approves and exchanges the code (form body) with PKCE verification', async () => {
    await start({ autoApprove: true, account: { email: 'pkce@example.com', planType: 'pro' } });
    const { verifier, challenge } = pkcePair();
    const authorize = await fetch(authorizeUrl({ code_challenge: challenge }), { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    const callback = new URL(authorize.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('state-123');
    const code = callback.searchParams.get('code')!;

    const wrongVerifier = await postForm(emulator.tokenURL, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: CODEX_CLIENT_ID,
      code_verifier: pkcePair().verifier,
    });
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });

    // A failed attempt burns the code (RFC 6749 §10.5), so start again.
    const again = await fetch(authorizeUrl({ code_challenge: challenge }), { redirect: 'manual' });
    const freshCode = new URL(again.headers.get('location')!).searchParams.get('code')!;
    const exchange = await postForm(emulator.tokenURL, {
      grant_type: 'authorization_code',
      code: freshCode,
      redirect_uri: redirectUri,
      client_id: CODEX_CLIENT_ID,
      code_verifier: verifier,
    });
    expect(exchange.status).toBe(200);
    const tokens = (await exchange.json()) as TokenBody;
    expect(decodeJwt(tokens.id_token)).toMatchObject({
      email: 'pkce@example.com',
      'https://api.openai.com/auth': { chatgpt_plan_type: 'pro' },
    });
    expect(emulator.counters.codeExchanges).toBe(1);

    const replay = await postForm(emulator.tokenURL, {
      grant_type: 'authorization_code',
      code: freshCode,
      redirect_uri: redirectUri,
      client_id: CODEX_CLIENT_ID,
      code_verifier: verifier,
    });
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('shows a consent page whose buttons redirect to the callback', async () => {
    await start();
    const { challenge } = pkcePair();
    const page = await fetch(authorizeUrl({ code_challenge: challenge }), { redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
    expect(action).toBe('/oauth/authorize/decision');
    expect(requestId).toBeTruthy();

    const approve = await postForm(`${emulator.url}${action}`, {
      request_id: requestId!,
      decision: 'approve',
    });
    expect(approve.status).toBe(302);
    const callback = new URL(approve.headers.get('location')!);
    expect(callback.searchParams.get('code')).toMatch(/^ac_/);
    expect(callback.searchParams.get('state')).toBe('state-123');

    const answeredTwice = await postForm(`${emulator.url}${action}`, {
      request_id: requestId!,
      decision: 'approve',
    });
    expect(answeredTwice.status).toBe(400);

    const second = await (await fetch(authorizeUrl({ code_challenge: challenge }))).text();
    const secondId = /name="request_id" value="([^"]+)"/.exec(second)?.[1];
    const deny = await postForm(`${emulator.url}${action}`, { request_id: secondId!, decision: 'deny' });
    expect(new URL(deny.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it('checks client id, redirect URI, S256 challenge and state', async () => {
    await start({ autoApprove: true });
    const { challenge } = pkcePair();
    expect(
      (await fetch(authorizeUrl({ code_challenge: challenge, client_id: 'other' }), { redirect: 'manual' }))
        .status,
    ).toBe(400);
    const badRedirect = await fetch(
      authorizeUrl({ code_challenge: challenge, redirect_uri: 'https://evil.example/cb' }),
      { redirect: 'manual' },
    );
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.headers.get('location')).toBeNull();

    const errorOf = async (params: Record<string, string>) => {
      const response = await fetch(authorizeUrl(params), { redirect: 'manual' });
      expect(response.status).toBe(302);
      return new URL(response.headers.get('location')!).searchParams.get('error');
    };
    expect(await errorOf({ code_challenge: challenge, code_challenge_method: 'plain' })).toBe(
      'invalid_request',
    );
    expect(await errorOf({})).toBe('invalid_request');
    expect(await errorOf({ code_challenge: challenge, state: '' })).toBe('invalid_request');
    expect(await errorOf({ code_challenge: challenge, response_type: 'token' })).toBe(
      'unsupported_response_type',
    );
  });

  it('exchanges an id token for an API key', async () => {
    await start();
    const login = await emulator.login();
    const response = await postForm(emulator.tokenURL, {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      client_id: CODEX_CLIENT_ID,
      requested_token: 'openai-api-key',
      subject_token: login.idToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { access_token: string }).access_token).toMatch(/^sk-/);
  });
});

describe('device-code login', () => {
  it('stays pending until the code is entered on /codex/device, then hands out a PKCE code', async () => {
    await start({ deviceCodeIntervalSeconds: 0 });
    const usercode = await postJson(`${emulator.issuer}/api/accounts/deviceauth/usercode`, {
      client_id: CODEX_CLIENT_ID,
    });
    expect(usercode.status).toBe(200);
    const device = (await usercode.json()) as {
      device_auth_id: string;
      user_code: string;
      interval: unknown;
    };
    expect(device.interval).toBe('0');
    expect(device.user_code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{5}$/);

    const poll = () =>
      postJson(`${emulator.issuer}/api/accounts/deviceauth/token`, {
        device_auth_id: device.device_auth_id,
        user_code: device.user_code,
      });
    expect((await poll()).status).toBe(403);

    const page = await fetch(`${emulator.issuer}/codex/device`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="user_code"');
    const wrong = await postForm(`${emulator.issuer}/codex/device`, { user_code: 'ZZZZ-ZZZZZ' });
    expect(wrong.status).toBe(400);
    expect((await poll()).status).toBe(403);
    const entered = await postForm(`${emulator.issuer}/codex/device`, {
      user_code: device.user_code.toLowerCase(),
    });
    expect(entered.status).toBe(200);

    const approved = await poll();
    expect(approved.status).toBe(200);
    const grant = (await approved.json()) as {
      authorization_code: string;
      code_challenge: string;
      code_verifier: string;
    };
    expect(createHash('sha256').update(grant.code_verifier).digest('base64url')).toBe(grant.code_challenge);
    expect((await poll()).status).toBe(404);

    const exchange = await postForm(emulator.tokenURL, {
      grant_type: 'authorization_code',
      code: grant.authorization_code,
      redirect_uri: `${emulator.issuer}/deviceauth/callback`,
      client_id: CODEX_CLIENT_ID,
      code_verifier: grant.code_verifier,
    });
    expect(exchange.status).toBe(200);
    expect(Object.keys(await exchange.json())).toEqual(
      expect.arrayContaining(['id_token', 'access_token', 'refresh_token']),
    );
  });

  it('approves device codes through the control API or automatically', async () => {
    await start({ deviceCodeIntervalSeconds: 0 });
    const first = (await (
      await postJson(`${emulator.issuer}/api/accounts/deviceauth/usercode`, { client_id: CODEX_CLIENT_ID })
    ).json()) as { device_auth_id: string; user_code: string };
    expect(emulator.denyDeviceCode(first.user_code)).toBe(true);
    const denied = await postJson(`${emulator.issuer}/api/accounts/deviceauth/token`, {
      device_auth_id: first.device_auth_id,
      user_code: first.user_code,
    });
    expect(denied.status).toBe(400);
    await emulator.close();

    await start({ autoApprove: true });
    const second = (await (
      await postJson(`${emulator.issuer}/api/accounts/deviceauth/usercode`, { client_id: CODEX_CLIENT_ID })
    ).json()) as { device_auth_id: string; user_code: string; interval: string };
    expect(second.interval).toBe('5');
    const approved = await postJson(`${emulator.issuer}/api/accounts/deviceauth/token`, {
      device_auth_id: second.device_auth_id,
      user_code: second.user_code,
    });
    expect(approved.status).toBe(200);
  });
});
