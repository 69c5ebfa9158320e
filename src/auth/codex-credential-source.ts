/** A complete ChatGPT OAuth login as a source or store holds it. */
export interface CodexLogin {
  /** The access token (a JWT) sent to the backend. */
  accessToken: string;
  /** The ChatGPT account id; derived from the tokens' claims when absent. */
  accountId?: string;
  /** The single-use, rotating refresh token. Absent for read-only sources. */
  refreshToken?: string;
  /** The id token (a JWT) from the last login or refresh; the Codex CLI needs it in auth.json. */
  idToken?: string;
}

/**
 * Where credentials come from. Implement this to plug in your own source: `read()` is called when the
 * token manager has nothing cached, after a 401, and to adopt a login another process stored.
 */
export interface CodexCredentialSource {
  /** Names the source in errors and in `status`, e.g. `Codex CLI auth.json (/home/me/.codex/auth.json)`. Never a token. */
  readonly description: string;
  /**
   * How long before expiry to refresh this source's logins, when the source knows better than the token
   * manager's default of 5 minutes (e.g. to stay ahead of another program that shares it).
   */
  readonly refreshWindowMs?: number;
  /**
   * The current login, or `undefined` when the source holds none. Throws `CodexAuthError` when the source
   * holds something unusable.
   */
  read(options?: { abortSignal?: AbortSignal }): Promise<CodexLogin | undefined>;
}

/**
 * A source that can also persist rotated tokens, and serializes rotation among everyone sharing it
 * (processes on one machine for files and the keychain, machines for Redis).
 */
export interface CodexCredentialStore extends CodexCredentialSource {
  /**
   * Takes the store's exclusive lock, reads the stored login, and passes it to `update`. When `update`
   * returns a login it is persisted before the lock is released; when it returns `undefined` nothing is
   * written. Resolves to the login stored when the lock was released.
   *
   * The token manager refreshes inside `update`, after checking whether someone else already did.
   */
  update(
    update: (current: CodexLogin | undefined) => Promise<CodexLogin | undefined>,
    options?: { abortSignal?: AbortSignal },
  ): Promise<CodexLogin | undefined>;
  /** Replaces the stored login (after a login), under the same lock. Fields the store kept beside the tokens are preserved. */
  save(login: CodexLogin, options?: { abortSignal?: AbortSignal }): Promise<void>;
  /**
   * Keeps a copy of the stored login beside it (e.g. `auth.json.backup-<time>`) before something replaces it;
   * resolves to where the copy went, or `undefined` when there is no login. Stores without it keep no backups.
   */
  backUp?(options?: { abortSignal?: AbortSignal }): Promise<string | undefined>;
  /** Removes the stored login (logout). Resolves to `false` when there was none. */
  remove(options?: { abortSignal?: AbortSignal }): Promise<boolean>;
}

export function isCodexCredentialStore(source: CodexCredentialSource): source is CodexCredentialStore {
  return typeof (source as Partial<CodexCredentialStore>).update === 'function';
}
