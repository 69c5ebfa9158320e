import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { CODEX_LOGIN_HINT, CodexAuthError } from './codex-auth-error';
import type { CodexCredentialSource } from './codex-credential-source';
import { resolveCodexHome } from './codex-home';
import { createEnvCredentialSource } from './sources/env-source';
import { createCodexCliCredentialStore } from './stores/file-store';
import {
  createCodexCliKeychainStore,
  createKeychainCredentialStore,
  isKeychainAvailable,
} from './stores/keychain-store';
import { CodexTokenManager, type CodexTokenManagerOptions } from './token-manager';

export interface DefaultCodexAuthOptions extends Omit<CodexTokenManagerOptions, 'source'> {
  /** The Codex CLI's home. Default: `CODEX_HOME`, else `~/.codex`. */
  codexHome?: string;
  /** The environment to read `CODEX_*` variables from. Default: `process.env`. */
  env?: Record<string, string | undefined>;
  /**
   * Look in the OS keychain when there is no auth.json (needs the optional peer `@napi-rs/keyring`). `true`
   * also reads the Codex CLI's own entry on macOS, where that shows a permission dialog. Default: `'auto'`
   * (every entry, except the Codex CLI's on macOS).
   */
  keychain?: boolean | 'auto';
}

/**
 * Finds the user's ChatGPT login, in this order:
 * 1. `CODEX_ACCESS_TOKEN` (+ `CODEX_ACCOUNT_ID`): read-only;
 * 2. the Codex CLI's `$CODEX_HOME/auth.json` (default `~/.codex`), shared with the CLI under its own lock;
 * 3. the OS keychain: the Codex CLI's entry (`Codex Auth` / `cli|<hash>`), then this package's own entry.
 *
 * Throws `CodexAuthError` (`missing`) listing where it looked when there is none.
 */
export async function detectCodexCredentialSource(
  options: Pick<DefaultCodexAuthOptions, 'codexHome' | 'env' | 'keychain'> = {},
): Promise<CodexCredentialSource> {
  const env = options.env ?? process.env;
  if (env.CODEX_ACCESS_TOKEN) return createEnvCredentialSource(env);
  if (env.CODEX_REFRESH_TOKEN) {
    throw new CodexAuthError({
      reason: 'missing',
      source: 'environment variable CODEX_REFRESH_TOKEN',
      message:
        'a refresh token alone cannot be used from the environment: it is single-use, so the second process or cold start to read it would be rejected. Seed it once into a shared store, `createRedisCredentialStore({ client, seed: readCodexRefreshTokenSeed() })`, which owns rotation from then on; or set CODEX_ACCESS_TOKEN.',
    });
  }

  const home = resolveCodexHome(options.codexHome ?? env.CODEX_HOME);
  const authJson = join(home, 'auth.json');
  if (await exists(authJson)) return createCodexCliCredentialStore({ codexHome: home });

  const keychain = options.keychain ?? 'auto';
  const looked = ['CODEX_ACCESS_TOKEN', authJson];
  if (keychain !== false && (await isKeychainAvailable())) {
    const entries = [createKeychainCredentialStore()];
    // Reading the CLI's entry from another program prompts on macOS: never do that implicitly.
    if (keychain === true || process.platform !== 'darwin')
      entries.unshift(createCodexCliKeychainStore({ codexHome: home }));
    for (const entry of entries) {
      looked.push(entry.description);
      try {
        if ((await entry.read()) != null) return entry;
      } catch (error) {
        // No keychain service here (no D-Bus, locked): keep looking; anything else is worth reporting.
        if (!(CodexAuthError.isInstance(error) && error.reason === 'keychain-unavailable')) throw error;
      }
    }
  }

  throw new CodexAuthError({
    reason: 'missing',
    source: 'auto-detected credentials',
    message: `no ChatGPT login found (looked at ${looked.join(', ')}). ${CODEX_LOGIN_HINT}`,
  });
}

/**
 * The default `CodexAuth`: the login found by `detectCodexCredentialSource` (detected on the first request, not
 * at construction), kept fresh by a `CodexTokenManager`.
 */
export function createDefaultCodexAuth(options: DefaultCodexAuthOptions = {}): CodexTokenManager {
  const { codexHome, env, keychain, ...managerOptions } = options;
  return new CodexTokenManager({
    ...managerOptions,
    source: () => detectCodexCredentialSource({ codexHome, env, keychain }),
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
