import { InvalidArgumentError } from '@ai-sdk/provider';
import type { CodexAuth, CodexCredentials } from './codex-auth';
import type { CodexCredentialSource } from './codex-credential-source';
import { createCodexTokenManager } from './token-manager';

/** What the `auth` setting accepts: a `CodexAuth`, a credential source or store, or fixed credentials. */
export type CodexAuthSetting = CodexAuth | CodexCredentialSource | CodexCredentials;

/**
 * Turns the `auth` setting into the `CodexAuth` the model asks for credentials. A source or store gets its
 * own token manager, so passing `createRedisCredentialStore(…)` directly keeps the login refreshed.
 */
export function toCodexAuth(auth: CodexAuthSetting): CodexAuth {
  if ('getCredentials' in auth && typeof auth.getCredentials === 'function') return auth;
  if ('read' in auth && typeof auth.read === 'function') return createCodexTokenManager({ source: auth });

  const { accessToken, accountId } = auth as CodexCredentials;
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw new InvalidArgumentError({
      argument: 'auth',
      message:
        'auth.accessToken is empty. Pass the ChatGPT access token (and accountId), a credential store, a CodexAuth, or omit auth to use the Codex CLI login.',
    });
  }
  // Fixed credentials, e.g. a short-lived token from elsewhere: used as given, never refreshed.
  const fixed = { accessToken, accountId };
  return { getCredentials: async () => fixed };
}
