import type { CodexLogin } from '../codex-credential-source';
import { parseCodexTokenClaims } from '../jwt-claims';
import { CodexLoginError } from './codex-login-error';
import type { LoginTokens } from './exchange-authorization-code';

/**
 * The login to store from a token response. The account id comes from the id token's
 * `chatgpt_account_id` claim, as the Codex CLI takes it (the access token's claim when the id token has
 * none); without one, requests to the backend cannot name the workspace, so the login is refused.
 */
export function codexLoginFromTokens(tokens: LoginTokens): CodexLogin & { accountId: string } {
  const accountId =
    parseCodexTokenClaims(tokens.idToken)?.accountId ?? parseCodexTokenClaims(tokens.accessToken)?.accountId;
  if (accountId == null) {
    throw new CodexLoginError({
      reason: 'invalid-tokens',
      message:
        'The sign-in succeeded but the tokens name no ChatGPT account (no chatgpt_account_id claim), so the Codex ' +
        'backend would reject them. Sign in with an account that has a ChatGPT plan with Codex, or check --issuer.',
    });
  }
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    idToken: tokens.idToken,
    accountId,
  };
}
