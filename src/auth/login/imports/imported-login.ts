import { CodexAuthError } from '../../codex-auth-error';
import type { CodexLogin } from '../../codex-credential-source';
import { parseCodexTokenClaims } from '../../jwt-claims';

/** The tools whose ChatGPT logins can be imported. */
export type ImportableTool = 'opencode' | 'pi' | 'openclaw' | 'chatmock';

/** A login read from another tool's credentials file, checked and ready to be stored. */
export interface ImportedLogin {
  tool: ImportableTool;
  /** The file it came from. */
  path: string;
  /** Names the file in messages, e.g. `opencode auth.json (/home/me/.local/share/opencode/auth.json)`. */
  source: string;
  login: CodexLogin & { refreshToken: string; accountId: string };
}

/**
 * Checks the tokens another tool stored: both present, the access token a ChatGPT JWT, and the stored
 * account id (when the tool keeps one) equal to the token's `chatgpt_account_id` claim — a mismatch means the
 * entry was edited or mixed up, and storing it would send requests on behalf of the wrong workspace.
 */
export function checkImportedTokens(
  {
    accessToken,
    refreshToken,
    accountId,
    idToken,
  }: {
    accessToken?: string | null;
    refreshToken?: string | null;
    accountId?: string | null;
    idToken?: string | null;
  },
  source: string,
  relogin: string,
): ImportedLogin['login'] {
  if (!refreshToken) {
    throw new CodexAuthError({
      reason: 'malformed',
      source,
      message: `has no refresh token, so the login cannot be kept alive. ${relogin}`,
    });
  }
  if (!accessToken) {
    throw new CodexAuthError({
      reason: 'malformed',
      source,
      message: `has no access token. ${relogin}`,
    });
  }
  const claims = parseCodexTokenClaims(accessToken);
  if (claims == null) {
    throw new CodexAuthError({
      reason: 'malformed',
      source,
      message: `holds an access token that is not a ChatGPT JWT. ${relogin}`,
    });
  }
  const claimed = claims.accountId ?? parseCodexTokenClaims(idToken ?? undefined)?.accountId;
  if (accountId && claimed && accountId !== claimed) {
    throw new CodexAuthError({
      reason: 'malformed',
      source,
      message: `stores account id ${accountId}, but its access token belongs to ChatGPT account ${claimed}; the entry is inconsistent. ${relogin}`,
    });
  }
  const resolved = accountId || claimed;
  if (!resolved) {
    throw new CodexAuthError({
      reason: 'missing-account-id',
      source,
      message: `has no ChatGPT account id, neither stored nor in the token's claims. ${relogin}`,
    });
  }
  return { accessToken, refreshToken, accountId: resolved, idToken: idToken ?? undefined };
}
