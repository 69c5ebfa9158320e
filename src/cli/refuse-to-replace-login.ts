import { CodexAuthError } from '../auth/codex-auth-error';
import type { CodexCredentialStore, CodexLogin } from '../auth/codex-credential-source';
import { parseCodexTokenClaims } from '../auth/jwt-claims';
import { CliError, EXIT_CODES } from './cli-error';
import { describeLoginOwner } from './describe-login';

/**
 * Nothing the user had is replaced without being asked: throws when `store` already holds a login (with
 * `replacement`, only a login of another account), unless `force` is set (which also lets a malformed entry be
 * overwritten). With `force`, the login about to be replaced is backed up where the store can; resolves to
 * where. `alternative` completes the hint "Pass --force to replace it, or …".
 */
export async function refuseToReplaceLogin(
  store: CodexCredentialStore,
  {
    force,
    alternative,
    replacement,
    abortSignal,
  }: { force?: boolean; alternative: string; replacement?: CodexLogin; abortSignal?: AbortSignal },
): Promise<string | undefined> {
  let existing: CodexLogin | undefined;
  try {
    existing = await store.read({ abortSignal });
  } catch (error) {
    // A new login replaces an unreadable entry after moving it aside (see the store's `save`).
    if (!(CodexAuthError.isInstance(error) && error.reason === 'malformed' && (force || replacement)))
      throw error;
  }
  if (existing == null) return undefined;
  if (replacement != null && accountOf(existing) === accountOf(replacement)) return undefined;
  if (!force) {
    const signedIn = replacement != null ? ` You signed in as ${describeLoginOwner(replacement)}.` : '';
    throw new CliError(
      `${store.description} already holds a login for ${describeLoginOwner(existing)}.${signedIn} Nothing was changed. ` +
        `Pass --force to replace it${store.backUp != null ? ' (a backup is kept)' : ''}, or ${alternative}.`,
      EXIT_CODES.usage,
    );
  }
  return store.backUp?.({ abortSignal });
}

function accountOf(login: CodexLogin): string | undefined {
  return (
    login.accountId ??
    parseCodexTokenClaims(login.idToken)?.accountId ??
    parseCodexTokenClaims(login.accessToken)?.accountId
  );
}
