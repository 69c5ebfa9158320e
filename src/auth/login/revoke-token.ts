import {
  createStatusCodeErrorResponseHandler,
  type FetchFunction,
  postJsonToApi,
} from '@ai-sdk/provider-utils';

export type RevokeOutcome = { revoked: true } | { revoked: false; reason: string };

/**
 * Revokes a refresh token as the Codex CLI's logout does (`POST {issuer}/oauth/revoke`, or
 * `CODEX_REVOKE_TOKEN_URL_OVERRIDE`). Best effort: the outcome is reported, never thrown, so a
 * logout still removes the local login when the server cannot be reached.
 */
export async function revokeRefreshToken({
  revokeUrl,
  clientId,
  refreshToken,
  fetch,
  abortSignal,
}: {
  revokeUrl: string;
  clientId: string;
  refreshToken: string;
  fetch?: FetchFunction;
  abortSignal?: AbortSignal;
}): Promise<RevokeOutcome> {
  try {
    await postJsonToApi({
      url: revokeUrl,
      body: { token: refreshToken, token_type_hint: 'refresh_token', client_id: clientId },
      failedResponseHandler: createStatusCodeErrorResponseHandler(),
      successfulResponseHandler: async () => ({ value: undefined }),
      fetch,
      abortSignal: abortSignal ?? AbortSignal.timeout(10_000),
    });
    return { revoked: true };
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    return {
      revoked: false,
      reason: status != null ? `${revokeUrl} answered ${status}` : `could not reach ${revokeUrl}`,
    };
  }
}
