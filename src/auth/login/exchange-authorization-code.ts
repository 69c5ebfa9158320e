import { createJsonResponseHandler, type FetchFunction, postToApi } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';
import { oauthFailedResponseHandler, toLoginError } from './oauth-http-error';

const tokenResponseSchema = z.object({
  id_token: z.string().min(1),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
});

/** The three tokens a completed login yields. */
export interface LoginTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * Redeems an authorization code at `{issuer}/oauth/token` (form-encoded, as the Codex CLI sends it).
 * The browser flow passes its own PKCE verifier; the device-code flow the one the server returned.
 */
export async function exchangeAuthorizationCode({
  issuer,
  clientId,
  code,
  redirectUri,
  codeVerifier,
  fetch,
  abortSignal,
}: {
  issuer: string;
  clientId: string;
  code: string;
  redirectUri: string;
  codeVerifier: string;
  fetch?: FetchFunction;
  abortSignal?: AbortSignal;
}): Promise<LoginTokens> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: codeVerifier,
  });
  try {
    const { value } = await postToApi({
      url: `${issuer.replace(/\/+$/, '')}/oauth/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      // `values` is what errors carry: never the code or the verifier.
      body: {
        content: form.toString(),
        values: { grant_type: 'authorization_code', redirect_uri: redirectUri },
      },
      failedResponseHandler: oauthFailedResponseHandler,
      successfulResponseHandler: createJsonResponseHandler(tokenResponseSchema),
      fetch,
      abortSignal,
    });
    return { idToken: value.id_token, accessToken: value.access_token, refreshToken: value.refresh_token };
  } catch (error) {
    throw toLoginError(error, {
      action: 'Token exchange',
      reason: 'token-exchange-failed',
      nextStep: 'Start the login again; if it keeps failing, check --issuer / CODEX_AUTH_ISSUER.',
    });
  }
}
