import type { CodexCredentialSource, CodexLogin } from '../codex-credential-source';

/**
 * `CODEX_ACCESS_TOKEN` (+ optional `CODEX_ACCOUNT_ID`): read-only, never refreshed; the token manager fails
 * with a clear message once the token expires. A `CODEX_REFRESH_TOKEN` is deliberately not read here: a
 * refresh token in the environment is spent after its first use, so it can only seed a store
 * (see `readCodexRefreshTokenSeed`).
 */
export function createEnvCredentialSource(
  env: Record<string, string | undefined> = process.env,
): CodexCredentialSource {
  return {
    description: 'environment variable CODEX_ACCESS_TOKEN',
    async read() {
      const accessToken = env.CODEX_ACCESS_TOKEN;
      if (accessToken == null || accessToken === '') return undefined;
      const accountId = env.CODEX_ACCOUNT_ID;
      return { accessToken, accountId: accountId != null && accountId !== '' ? accountId : undefined };
    },
  };
}

/**
 * The login to seed a store with from `CODEX_REFRESH_TOKEN` (with `CODEX_ACCESS_TOKEN` and
 * `CODEX_ACCOUNT_ID` when set), or `undefined`. Pass it as a store's `seed`: it is written only while the
 * store is empty, and the store owns rotation from then on.
 */
export function readCodexRefreshTokenSeed(
  env: Record<string, string | undefined> = process.env,
): CodexLogin | undefined {
  const refreshToken = env.CODEX_REFRESH_TOKEN;
  if (refreshToken == null || refreshToken === '') return undefined;
  return {
    // An empty access token is always stale, so the first use refreshes.
    accessToken: env.CODEX_ACCESS_TOKEN ?? '',
    refreshToken,
    accountId: env.CODEX_ACCOUNT_ID || undefined,
  };
}
