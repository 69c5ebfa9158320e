import { CodexAuthError } from '../auth/codex-auth-error';
import type { CodexCredentialStore, CodexLogin } from '../auth/codex-credential-source';
import { CliError, EXIT_CODES } from './cli-error';
import { describeLoginOwner } from './describe-login';

/**
 * Nothing the user had is replaced without being asked: throws when `store` already holds a login, unless
 * `force` is set (which also lets a malformed entry be overwritten). `alternative` completes the hint
 * "Pass --force to replace it, or …".
 */
export async function refuseToReplaceLogin(
  store: CodexCredentialStore,
  { force, alternative, abortSignal }: { force?: boolean; alternative: string; abortSignal?: AbortSignal },
): Promise<void> {
  let existing: CodexLogin | undefined;
  try {
    existing = await store.read({ abortSignal });
  } catch (error) {
    if (!(CodexAuthError.isInstance(error) && error.reason === 'malformed' && force)) throw error;
  }
  if (existing != null && !force) {
    throw new CliError(
      `${store.description} already holds a login for ${describeLoginOwner(existing)}. Nothing was changed. ` +
        `Pass --force to replace it, or ${alternative}.`,
      EXIT_CODES.usage,
    );
  }
}
