import type { FetchFunction } from '@ai-sdk/provider-utils';
import type { CodexAuth, CodexCredentials } from './codex-auth';
import { CODEX_LOGIN_HINT, CodexAuthError } from './codex-auth-error';
import {
  type CodexCredentialSource,
  type CodexLogin,
  isCodexCredentialStore,
} from './codex-credential-source';
import { parseCodexTokenClaims } from './jwt-claims';
import {
  type CodexRefreshReason,
  isUnspentRefreshError,
  refreshCodexTokens,
  resolveCodexTokenURL,
} from './oauth';

export interface CodexTokenManagerOptions {
  /** Where the login comes from and, for a store, where rotated tokens go. A function is called once, on first use. */
  source: CodexCredentialSource | (() => Promise<CodexCredentialSource>);
  /**
   * Refresh when the access token expires within this many milliseconds. Default: the source's own
   * `refreshWindowMs`, else 5 minutes, as the Codex CLI.
   */
  refreshWindowMs?: number;
  /** The token endpoint. Default: `CODEX_REFRESH_TOKEN_URL_OVERRIDE`, else `${issuer}/oauth/token`. */
  tokenURL?: string;
  /** The OAuth issuer. Default: `CODEX_AUTH_ISSUER`, else `https://auth.openai.com`. */
  issuer?: string;
  clientId?: string;
  /** Sent as `originator` to the token endpoint. */
  originator?: string;
  fetch?: FetchFunction;
  /** Bound on one refresh request; keep it well below the store's lock timeout. Default: 30 s. */
  refreshTimeoutMs?: number;
  /**
   * After losing a refresh race (`refresh_token_reused`), how long to wait for the winner's tokens to reach the
   * store before asking for a new login. Default: 5 s.
   */
  refreshRaceWaitMs?: number;
}

/** What `CodexTokenManager.getLogin()` reports, e.g. for `status`. Holds no token. */
export interface CodexLoginInfo {
  source: string;
  accountId: string;
  /** Expiry of the current access token (epoch ms), when the token says. */
  expiresAt?: number;
  planType?: string;
  email?: string;
  canRefresh: boolean;
}

interface State {
  login: CodexLogin;
  source: CodexCredentialSource;
  accountId: string | undefined;
  expiresAt: number | undefined;
}

const DEFAULT_REFRESH_WINDOW_MS = 5 * 60 * 1000;
const TRANSIENT_RETRY_DELAY_MS = 30_000;
const DEFAULT_REFRESH_RACE_WAIT_MS = 5_000;
const REFRESH_RACE_POLL_MS = 100;

// Process-wide, so that no manager in this process presents a refresh token another one already presented
// (sha256 digests, never the tokens themselves).
const presentedRefreshTokens = new Set<string>();
/** Permanent refusals by refresh token: no network call for a token the endpoint already refused. */
const refusedRefreshTokens = new Map<string, CodexAuthError>();

async function digestOf(refreshToken: string | undefined): Promise<string | undefined> {
  return refreshToken ? sha256Hex(refreshToken) : undefined;
}

async function refusalOf(refreshToken: string | undefined): Promise<CodexAuthError | undefined> {
  const digest = await digestOf(refreshToken);
  return digest ? refusedRefreshTokens.get(digest) : undefined;
}

/**
 * The `CodexAuth` behind every model call: caches the access token and account id, refreshes shortly before
 * expiry and after a 401 for the current token, one refresh at a time (single-flight here, the store's lock
 * across processes), adopts tokens that another holder rotated, and never presents a refresh token twice.
 */
export class CodexTokenManager implements CodexAuth {
  readonly #options: CodexTokenManagerOptions;
  #source: Promise<CodexCredentialSource> | undefined;
  #state: State | undefined;
  #loading: Promise<State> | undefined;
  #refreshing: Promise<State> | undefined;
  /** After a transient refresh failure, the still-valid token is used without retrying until then (epoch ms). */
  #retryAfter = 0;

  constructor(options: CodexTokenManagerOptions) {
    this.#options = options;
  }

  /** The source in use (detected on first use for the default auth). */
  getSource(): Promise<CodexCredentialSource> {
    if (this.#source == null) {
      const { source } = this.#options;
      const resolving = typeof source === 'function' ? source() : Promise.resolve(source);
      // A failed detection is retried on the next call (the user may log in meanwhile).
      resolving.catch(() => {
        if (this.#source === resolving) this.#source = undefined;
      });
      this.#source = resolving;
    }
    return this.#source;
  }

  async getCredentials(options?: { abortSignal?: AbortSignal }): Promise<CodexCredentials> {
    let state = this.#state ?? (await abortable(this.#load(), options?.abortSignal));
    const backingOff = Date.now() < this.#retryAfter && !this.#isExpired(state);
    if (!this.#isFresh(state) && !backingOff)
      state = await abortable(this.#refresh(state, 'proactive_expiry'), options?.abortSignal);
    return this.#credentialsOf(state);
  }

  async handleUnauthorized(
    rejected: CodexCredentials,
    options?: { abortSignal?: AbortSignal },
  ): Promise<CodexCredentials | undefined> {
    const state = this.#state ?? (await abortable(this.#load(), options?.abortSignal));
    // Another caller already replaced the rejected token.
    if (state.login.accessToken !== rejected.accessToken) return this.#credentialsOf(state);
    const next = await abortable(this.#refresh(state, 'unauthorized'), options?.abortSignal);
    return next.login.accessToken !== rejected.accessToken ? this.#credentialsOf(next) : undefined;
  }

  /** Describes the current login (loading it when needed), without any token. */
  async getLogin(options?: { abortSignal?: AbortSignal }): Promise<CodexLoginInfo> {
    const state = this.#state ?? (await abortable(this.#load(), options?.abortSignal));
    const source = await this.getSource();
    const claims =
      parseCodexTokenClaims(state.login.idToken) ?? parseCodexTokenClaims(state.login.accessToken);
    const accessClaims = parseCodexTokenClaims(state.login.accessToken);
    return {
      source: source.description,
      accountId: this.#credentialsOf(state).accountId!,
      expiresAt: state.expiresAt,
      planType: claims?.planType ?? accessClaims?.planType,
      email: claims?.email ?? accessClaims?.email,
      canRefresh: isCodexCredentialStore(source) && state.login.refreshToken != null,
    };
  }

  #load(): Promise<State> {
    this.#loading ??= (async () => {
      const source = await this.getSource();
      const login = await source.read();
      if (login == null) {
        throw new CodexAuthError({
          reason: 'missing',
          source: source.description,
          message: `holds no ChatGPT login. ${CODEX_LOGIN_HINT}`,
        });
      }
      return this.#adopt(login, source);
    })().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  #refresh(stale: State, reason: CodexRefreshReason): Promise<State> {
    this.#refreshing ??= this.#runRefresh(stale, reason).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #runRefresh(stale: State, reason: CodexRefreshReason): Promise<State> {
    const source = await this.getSource();
    const rejected = reason === 'unauthorized';

    // Nothing this process can redeem: adopt whatever the source holds now, or keep the token while it lasts.
    if (!isCodexCredentialStore(source) || (await refusalOf(stale.login.refreshToken)) != null) {
      const latest = await source.read();
      if (latest != null && latest.accessToken !== stale.login.accessToken)
        return this.#adopt(latest, source);
      if (!rejected && !this.#isExpired(stale)) return stale;
      if (!isCodexCredentialStore(source)) {
        throw new CodexAuthError({
          reason: 'expired',
          source: source.description,
          message: rejected
            ? 'the backend rejected this access token (401), and this source is read-only, so it cannot be refreshed. Provide a fresh token, or use a login that can refresh (auth.json, keychain, Redis).'
            : `the access token expired${stale.expiresAt != null ? ` at ${new Date(stale.expiresAt).toISOString()}` : ''}, and this source is read-only, so it cannot be refreshed. Provide a fresh token, or use a login that can refresh (auth.json, keychain, Redis).`,
        });
      }
      const refusal = await refusalOf(latest?.refreshToken);
      if (refusal != null) throw refusal;
    }

    let presented: string | undefined;
    try {
      const login = await source.update(async current => {
        if (current == null) {
          throw new CodexAuthError({
            reason: 'missing',
            source: source.description,
            message: `no longer holds a ChatGPT login. ${CODEX_LOGIN_HINT}`,
          });
        }
        // Someone else rotated while we waited for the lock: adopt instead of redeeming.
        if (
          current.accessToken !== stale.login.accessToken &&
          this.#isFresh(this.#stateOf(current, source))
        ) {
          return undefined;
        }
        presented = current.refreshToken;
        return this.#redeem(current, reason, source.description);
      });
      if (login == null) {
        throw new CodexAuthError({
          reason: 'missing',
          source: source.description,
          message: `no longer holds a ChatGPT login. ${CODEX_LOGIN_HINT}`,
        });
      }
      return this.#adopt(login, source);
    } catch (error) {
      if (!CodexAuthError.isInstance(error)) throw error;
      if (error.isRetryable) {
        // Transient: keep a still-valid token, and try again in a while rather than on every call.
        if (!rejected && !this.#isExpired(stale)) {
          this.#retryAfter = Date.now() + TRANSIENT_RETRY_DELAY_MS;
          return stale;
        }
        throw error;
      }
      if (error.reason !== 'login-required') throw error;

      // Rejected for good. Another holder may have rotated without our lock (the Codex CLI sends its refresh
      // before it locks): adopt its tokens once they reach the store.
      const latest = await this.#awaitRotation(source, stale, presented, {
        // Only a lost race has a winner whose tokens are on their way; a still-valid token needs no waiting.
        waitMs:
          error.oauthErrorCode === 'refresh_token_reused' && (rejected || this.#isExpired(stale))
            ? (this.#options.refreshRaceWaitMs ?? DEFAULT_REFRESH_RACE_WAIT_MS)
            : 0,
      });
      if (latest.rotated) return this.#adopt(latest.login, source);
      const failure = new CodexAuthError({
        reason: 'login-required',
        source: source.description,
        oauthErrorCode: error.oauthErrorCode,
        message: `the login could not be refreshed: ${error.message}`,
      });
      for (const token of [presented, latest.login?.refreshToken]) {
        const digest = await digestOf(token);
        if (digest) refusedRefreshTokens.set(digest, failure);
      }
      if (!rejected && !this.#isExpired(stale)) return stale;
      throw failure;
    }
  }

  /**
   * Reads the store until it holds a login rotated by someone else (neither the token we hold nor the refresh
   * token we presented) or `waitMs` has passed; reads once when `waitMs` is 0.
   */
  async #awaitRotation(
    source: CodexCredentialSource,
    stale: State,
    presented: string | undefined,
    { waitMs }: { waitMs: number },
  ): Promise<{ rotated: true; login: CodexLogin } | { rotated: false; login: CodexLogin | undefined }> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const login = await source.read().catch(() => undefined);
      if (
        login != null &&
        login.accessToken !== stale.login.accessToken &&
        login.refreshToken !== presented &&
        login.refreshToken !== stale.login.refreshToken
      ) {
        return { rotated: true, login };
      }
      if (Date.now() >= deadline) return { rotated: false, login };
      await new Promise(resolve =>
        setTimeout(resolve, Math.min(REFRESH_RACE_POLL_MS, deadline - Date.now())),
      );
    }
  }

  async #redeem(current: CodexLogin, reason: CodexRefreshReason, source: string): Promise<CodexLogin> {
    const { refreshToken } = current;
    if (refreshToken == null || refreshToken === '') {
      throw new CodexAuthError({
        reason: 'login-required',
        source,
        message: `holds no refresh token, so the access token cannot be renewed. ${CODEX_LOGIN_HINT}`,
      });
    }
    const digest = await sha256Hex(refreshToken);
    if (presentedRefreshTokens.has(digest)) {
      throw new CodexAuthError({
        reason: 'login-required',
        source,
        message: `its refresh token was already presented once by this process and its new tokens never reached the store; refresh tokens are single-use. ${CODEX_LOGIN_HINT}`,
      });
    }
    presentedRefreshTokens.add(digest);
    try {
      const tokens = await refreshCodexTokens({
        refreshToken,
        reason,
        tokenURL: resolveCodexTokenURL(this.#options),
        clientId: this.#options.clientId,
        originator: this.#options.originator,
        fetch: this.#options.fetch,
        timeoutMs: this.#options.refreshTimeoutMs,
      });
      const next: CodexLogin = {
        accessToken: tokens.accessToken ?? current.accessToken,
        refreshToken: tokens.refreshToken ?? refreshToken,
        idToken: tokens.idToken ?? current.idToken,
        accountId: current.accountId,
      };
      next.accountId ??= accountIdOf(next);
      return next;
    } catch (error) {
      // A failed request leaves the token unspent; without this, one outage of the endpoint would make this
      // process refuse a login that is still good.
      if (isUnspentRefreshError(error)) presentedRefreshTokens.delete(digest);
      throw error;
    }
  }

  #adopt(login: CodexLogin, source: CodexCredentialSource): State {
    const state = this.#stateOf(login, source);
    this.#state = state;
    return state;
  }

  #stateOf(login: CodexLogin, source: CodexCredentialSource): State {
    return {
      login,
      source,
      accountId: login.accountId ?? accountIdOf(login),
      // An empty access token (a seed holding only a refresh token) is as good as expired.
      expiresAt: login.accessToken === '' ? 0 : parseCodexTokenClaims(login.accessToken)?.expiresAt,
    };
  }

  #credentialsOf({ login, source, accountId }: State): CodexCredentials {
    if (accountId == null) {
      throw new CodexAuthError({
        reason: 'missing-account-id',
        source: source.description,
        message:
          'names no ChatGPT account: there is no account id beside the tokens, and neither token carries the `https://api.openai.com/auth` claim `chatgpt_account_id`. ' +
          (isCodexCredentialStore(source)
            ? CODEX_LOGIN_HINT
            : 'Set CODEX_ACCOUNT_ID (or pass `accountId`) next to the access token.'),
      });
    }
    return { accessToken: login.accessToken, accountId };
  }

  #isFresh(state: State): boolean {
    const window = this.#options.refreshWindowMs ?? state.source.refreshWindowMs ?? DEFAULT_REFRESH_WINDOW_MS;
    return state.expiresAt == null || state.expiresAt - Date.now() > window;
  }

  #isExpired(state: State): boolean {
    return state.expiresAt != null && state.expiresAt <= Date.now();
  }
}

function accountIdOf(login: CodexLogin): string | undefined {
  return (
    parseCodexTokenClaims(login.idToken)?.accountId ?? parseCodexTokenClaims(login.accessToken)?.accountId
  );
}

/** Web Crypto rather than `node:crypto`, so that the token manager also runs on edge runtimes. */
async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), byte => byte.toString(16).padStart(2, '0')).join('');
}

/** Lets one caller stop waiting without cancelling the shared load or refresh others wait for. */
function abortable<T>(promise: Promise<T>, abortSignal: AbortSignal | undefined): Promise<T> {
  if (abortSignal == null) return promise;
  abortSignal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortSignal.reason);
    abortSignal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => abortSignal.removeEventListener('abort', onAbort));
  });
}

/** A `CodexAuth` over `source`, refreshing and rotating as `CodexTokenManager` describes. */
export function createCodexTokenManager(options: CodexTokenManagerOptions): CodexTokenManager {
  return new CodexTokenManager(options);
}
