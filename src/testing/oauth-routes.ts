import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import { z } from 'zod/v4';
import { delay, type EmulatorState, jsonResponse, recordedRoute } from './emulator-state';
import type { DecodedBody } from './request-body';
import type { EmulatorLogin } from './tokens';

const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

const refreshGrantSchema = z.object({
  grant_type: z.literal('refresh_token'),
  refresh_token: z.string().min(1),
  client_id: z.string().optional(),
});

const codeGrantSchema = z.object({
  grant_type: z.literal('authorization_code'),
  code: z.string().min(1),
  redirect_uri: z.string().min(1),
  client_id: z.string().min(1),
  code_verifier: z.string().min(43).max(128),
});

const tokenExchangeSchema = z.object({
  grant_type: z.literal(TOKEN_EXCHANGE_GRANT),
  client_id: z.string().min(1),
  requested_token: z.literal('openai-api-key'),
  subject_token: z.string().min(1),
  subject_token_type: z.literal('urn:ietf:params:oauth:token-type:id_token'),
});

const revokeSchema = z.object({
  token: z.string().min(1),
  token_type_hint: z.string().optional(),
  client_id: z.string().optional(),
});

const oauthError = (status: number, error: string, description: string) =>
  jsonResponse(status, { error, error_description: description });

// auth.openai.com answers refresh failures in the OpenAI error envelope with a `code` the CLI maps.
const refreshError = (code: string, message: string) =>
  jsonResponse(401, { error: { message, type: 'invalid_request_error', param: null, code } });

/** Form or JSON fields of an OAuth request (both are accepted, as auth.openai.com does). */
function fieldsOf(body: DecodedBody): Record<string, unknown> | string {
  if (body.parsed.kind === 'form') return body.parsed.value;
  if (body.parsed.kind === 'json' && typeof body.parsed.value === 'object' && body.parsed.value !== null) {
    return body.parsed.value as Record<string, unknown>;
  }
  if (body.parsed.kind === 'error') return body.parsed.message;
  if (body.parsed.kind === 'empty') return 'Request body is required';
  return 'Use application/x-www-form-urlencoded or application/json';
}

function tokenResponse(login: EmulatorLogin, now: number) {
  return {
    access_token: login.accessToken,
    id_token: login.idToken,
    refresh_token: login.refreshToken,
    expires_in: Math.max(0, Math.round((login.accessTokenExpiresAt.getTime() - now) / 1000)),
    scope: 'openid profile email offline_access',
    token_type: 'bearer',
  };
}

/** `POST /oauth/token` (refresh, authorization code, API-key exchange), `POST /oauth/revoke`, discovery. */
export function registerOAuthRoutes(app: Hono<{ Bindings: HttpBindings }>, state: EmulatorState): void {
  app.post(
    '/oauth/token',
    recordedRoute(state, 'token', async (_c, _record, body) => {
      state.counters.tokenRequests += 1;
      await state.tokenHold.arrive();
      await delay(state.settings.tokenEndpointDelayMs);
      const fields = fieldsOf(body);
      if (typeof fields === 'string') return oauthError(400, 'invalid_request', fields);

      switch (fields.grant_type) {
        case 'refresh_token': {
          const grant = refreshGrantSchema.safeParse(fields);
          if (!grant.success) return oauthError(400, 'invalid_request', 'refresh_token is required');
          if (grant.data.client_id !== undefined && grant.data.client_id !== state.clientId) {
            state.counters.refreshFailures += 1;
            return oauthError(401, 'invalid_client', 'Unknown client_id');
          }
          const outcome = await state.tokens.refresh(grant.data.refresh_token);
          if (outcome.status === 'ok') {
            state.counters.refreshes += 1;
            return jsonResponse(200, tokenResponse(outcome.login, state.now()));
          }
          state.counters.refreshFailures += 1;
          switch (outcome.status) {
            case 'reused':
              state.counters.reuseRejections += 1;
              return refreshError(
                'refresh_token_reused',
                'Your refresh token has already been used to generate a new access token. Please try signing in again.',
              );
            case 'expired':
              return refreshError(
                'refresh_token_expired',
                'Your refresh token has expired. Please try signing in again.',
              );
            case 'invalidated':
              return refreshError(
                'refresh_token_invalidated',
                'Your refresh token has been invalidated. Please try signing in again.',
              );
            case 'unknown':
              return oauthError(400, 'invalid_grant', 'Invalid refresh token');
          }
          break;
        }
        case 'authorization_code': {
          const grant = codeGrantSchema.safeParse(fields);
          if (!grant.success) {
            return oauthError(
              400,
              'invalid_request',
              'code, redirect_uri, client_id and code_verifier are required',
            );
          }
          const redemption = state.flows.redeemCode({
            code: grant.data.code,
            clientId: grant.data.client_id,
            redirectUri: grant.data.redirect_uri,
            codeVerifier: grant.data.code_verifier,
          });
          if (redemption.status === 'invalid_client')
            return oauthError(401, 'invalid_client', 'Unknown client_id');
          if (redemption.status === 'invalid_grant')
            return oauthError(400, 'invalid_grant', redemption.description);
          state.counters.codeExchanges += 1;
          const login = await state.tokens.login(state.settings.account);
          return jsonResponse(200, tokenResponse(login, state.now()));
        }
        case TOKEN_EXCHANGE_GRANT: {
          const grant = tokenExchangeSchema.safeParse(fields);
          if (!grant.success || grant.data.client_id !== state.clientId) {
            return oauthError(400, 'invalid_request', 'Malformed token exchange request');
          }
          const apiKey = await state.tokens.exchangeIdTokenForApiKey(grant.data.subject_token);
          if (!apiKey) return oauthError(400, 'invalid_grant', 'subject_token is not a valid id token');
          return jsonResponse(200, {
            access_token: apiKey,
            issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
            token_type: 'bearer',
          });
        }
      }
      return oauthError(
        400,
        'unsupported_grant_type',
        `Unsupported grant_type: ${String(fields.grant_type)}`,
      );
    }),
  );

  app.post(
    '/oauth/revoke',
    recordedRoute(state, 'revoke', async (_c, _record, body) => {
      const fields = fieldsOf(body);
      if (typeof fields === 'string') return oauthError(400, 'invalid_request', fields);
      const request = revokeSchema.safeParse(fields);
      if (!request.success) return oauthError(400, 'invalid_request', 'token is required');
      // RFC 7009 §2.2: unknown tokens are not an error.
      state.tokens.revokeFamilyOf(request.data.token, 'logout');
      return jsonResponse(200, {});
    }),
  );

  app.get(
    '/.well-known/jwks.json',
    recordedRoute(state, 'jwks', async () => jsonResponse(200, await state.tokens.jwks())),
  );

  app.get(
    '/.well-known/openid-configuration',
    recordedRoute(state, 'openid_configuration', async () => {
      const issuer = state.url();
      return jsonResponse(200, {
        issuer,
        authorization_endpoint: `${issuer}/oauth/authorize`,
        token_endpoint: `${issuer}/oauth/token`,
        revocation_endpoint: `${issuer}/oauth/revoke`,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token', TOKEN_EXCHANGE_GRANT],
        code_challenge_methods_supported: ['S256'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      });
    }),
  );
}
