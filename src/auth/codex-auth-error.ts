import { AISDKError } from '@ai-sdk/provider';

const name = 'AI_CodexAuthError';
const marker = `vercel.ai.error.${name}`;
const symbol = Symbol.for(marker);

/** What the user has to do to log in again; part of every error that needs a new login. */
export const CODEX_LOGIN_HINT = 'Log in again with `npx ai-sdk-provider-codex login` (or `codex login`).';

export type CodexAuthErrorReason =
  /** No credentials were found in the source (or in any source, when auto-detecting). */
  | 'missing'
  /** The source holds something that is not a usable ChatGPT login (bad JSON, missing fields, an API-key login). */
  | 'malformed'
  /** The operating system refused access to the file, lock or keychain. */
  | 'permission-denied'
  /** No ChatGPT account id in the source or in the tokens' claims. */
  | 'missing-account-id'
  /** A read-only access token (e.g. `CODEX_ACCESS_TOKEN`) has expired and cannot be refreshed here. */
  | 'expired'
  /** The refresh token was rejected for good (reused, expired, revoked) or is absent: a new login is needed. */
  | 'login-required'
  /** The token endpoint could not be reached or answered with a transient error; retrying later may work. */
  | 'refresh-failed'
  /** The OS keychain (or its optional peer `@napi-rs/keyring`) is not available. */
  | 'keychain-unavailable'
  /** The store's lock could not be taken in time. */
  | 'lock-timeout'
  /** The store's lock cannot be taken on this platform or installation (no flock(2), koffi not loadable). */
  | 'lock-unavailable'
  /** A shared store (Redis) could not be reached or refused a command; retrying later may work. */
  | 'store-unavailable';

/**
 * Any problem with ChatGPT credentials. The message names the source and says what to do next; it never
 * contains a token, and neither does `cause`.
 */
export class CodexAuthError extends AISDKError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: the marker that isInstance() looks for
  private readonly [symbol] = true;

  readonly reason: CodexAuthErrorReason;
  /** Where the credentials came from, e.g. `Codex CLI auth.json (/home/me/.codex/auth.json)`. */
  readonly source: string;
  /** The OAuth error code from the token endpoint (`refresh_token_reused`, …), when there was one. */
  readonly oauthErrorCode: string | undefined;
  readonly isRetryable: boolean;

  constructor({
    reason,
    source,
    message,
    oauthErrorCode,
    cause,
  }: {
    reason: CodexAuthErrorReason;
    source: string;
    message: string;
    oauthErrorCode?: string;
    cause?: unknown;
  }) {
    super({ name, message: `${source}: ${message}`, cause });
    this.reason = reason;
    this.source = source;
    this.oauthErrorCode = oauthErrorCode;
    this.isRetryable =
      reason === 'refresh-failed' || reason === 'lock-timeout' || reason === 'store-unavailable';
  }

  static override isInstance(error: unknown): error is CodexAuthError {
    return AISDKError.hasMarker(error, marker);
  }
}
