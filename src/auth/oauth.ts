import { type FetchFunction, safeParseJSON, withoutTrailingSlash } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';
import { VERSION } from '../version';
import { CODEX_LOGIN_HINT, CodexAuthError } from './codex-auth-error';

/** The Codex CLI's public OAuth client, used for login and refresh. */
export const CODEX_OAUTH_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';

export const DEFAULT_CODEX_AUTH_ISSUER = 'https://auth.openai.com';

/** The OAuth issuer: the option, else `CODEX_AUTH_ISSUER`, else `https://auth.openai.com`. */
export function resolveCodexAuthIssuer(issuer?: string): string {
  const value = issuer ?? process.env.CODEX_AUTH_ISSUER;
  return withoutTrailingSlash(value != null && value !== '' ? value : DEFAULT_CODEX_AUTH_ISSUER)!;
}

/**
 * The token endpoint for the refresh grant: the explicit URL, else `CODEX_REFRESH_TOKEN_URL_OVERRIDE` (as
 * the Codex CLI honours it), else `${issuer}/oauth/token`.
 */
export function resolveCodexTokenURL(options: { tokenURL?: string; issuer?: string } = {}): string {
  const override = options.tokenURL ?? process.env.CODEX_REFRESH_TOKEN_URL_OVERRIDE;
  if (override != null && override !== '') return override;
  return `${resolveCodexAuthIssuer(options.issuer)}/oauth/token`;
}

/** Why a refresh happens; sent as `refresh_reason` like the Codex CLI does. */
export type CodexRefreshReason = 'proactive_expiry' | 'unauthorized';

/** Refresh-token error codes after which only a new login helps. */
export const PERMANENT_REFRESH_ERROR_CODES = [
  'refresh_token_expired',
  'refresh_token_reused',
  'refresh_token_invalidated',
] as const;

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().optional(),
});

const errorResponseSchema = z.looseObject({
  error: z
    .union([z.string(), z.looseObject({ code: z.string().nullish(), message: z.string().nullish() })])
    .nullish(),
  error_description: z.string().nullish(),
  code: z.string().nullish(),
});

export interface CodexTokenResponse {
  accessToken?: string;
  idToken?: string;
  refreshToken?: string;
  /** Seconds until the new access token expires, when the server said. */
  expiresIn?: number;
}

/**
 * Redeems a refresh token (`grant_type=refresh_token`) with the JSON body the Codex CLI sends. Refresh tokens
 * rotate and are single-use: call this at most once per refresh token.
 *
 * Throws `CodexAuthError` with reason `login-required` when the token was rejected for good (its
 * `oauthErrorCode` says why), or `refresh-failed` for network errors and other transient answers.
 */
export async function refreshCodexTokens({
  refreshToken,
  reason = 'proactive_expiry',
  tokenURL = resolveCodexTokenURL(),
  clientId = CODEX_OAUTH_CLIENT_ID,
  originator = 'ai-sdk-provider-codex',
  fetch = globalThis.fetch,
  timeoutMs = 30_000,
  abortSignal,
}: {
  refreshToken: string;
  reason?: CodexRefreshReason;
  tokenURL?: string;
  clientId?: string;
  originator?: string;
  fetch?: FetchFunction;
  /** Bounds the request, so that a store's lock always outlives it. */
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}): Promise<CodexTokenResponse> {
  const source = `OAuth token endpoint (${tokenURL})`;
  const timeout = AbortSignal.timeout(timeoutMs);
  const { signal, release } = abortSignal
    ? eitherSignal(abortSignal, timeout)
    : { signal: timeout, release() {} };
  let response: Response;
  let text: string;
  try {
    try {
      response = await fetch(tokenURL, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          originator,
          'user-agent': `ai-sdk-provider-codex/${VERSION}`,
        },
        body: JSON.stringify({
          client_id: clientId,
          grant_type: 'refresh_token',
          refresh_reason: reason,
          refresh_token: refreshToken,
        }),
        signal,
      });
    } catch (error) {
      if (abortSignal?.aborted) throw abortSignal.reason;
      throw unspent(
        new CodexAuthError({
          reason: 'refresh-failed',
          source,
          message: `the token endpoint could not be reached (${describeNetworkError(error)}); the request can be retried.`,
          cause: error,
        }),
      );
    }

    text = await response.text();
  } finally {
    release();
  }
  if (response.ok) {
    const parsed = await safeParseJSON({ text, schema: tokenResponseSchema });
    if (!parsed.success) {
      throw new CodexAuthError({
        reason: 'refresh-failed',
        source,
        message: `the token endpoint answered ${response.status} with a body that is not a token response.`,
      });
    }
    return {
      accessToken: parsed.value.access_token,
      idToken: parsed.value.id_token,
      refreshToken: parsed.value.refresh_token,
      expiresIn: parsed.value.expires_in,
    };
  }

  const { code, detail } = await parseErrorBody(text);
  const permanent =
    (code != null && (PERMANENT_REFRESH_ERROR_CODES as readonly string[]).includes(code)) ||
    response.status === 401 ||
    (response.status === 400 && code === 'invalid_grant');
  if (permanent) {
    throw new CodexAuthError({
      reason: 'login-required',
      source,
      oauthErrorCode: code,
      message: `${describePermanentFailure(code)} ${CODEX_LOGIN_HINT}`,
    });
  }
  throw unspent(
    new CodexAuthError({
      reason: 'refresh-failed',
      source,
      oauthErrorCode: code,
      message: `the token endpoint answered ${response.status}${code ? ` (${code})` : ''}${detail ? `: ${detail}` : ''}; the request can be retried.`,
    }),
  );
}

/** Reads the error code where the Codex CLI looks for it: `error.code`, a string `error`, or top-level `code`. */
async function parseErrorBody(text: string): Promise<{ code?: string; detail?: string }> {
  const parsed = await safeParseJSON({ text, schema: errorResponseSchema });
  if (!parsed.success) return {};
  const { error, code, error_description } = parsed.value;
  if (typeof error === 'string') return { code: error, detail: error_description ?? undefined };
  return {
    code: error?.code ?? code ?? undefined,
    detail: error?.message ?? error_description ?? undefined,
  };
}

function describePermanentFailure(code: string | undefined): string {
  switch (code) {
    case 'refresh_token_expired':
      return 'the refresh token has expired.';
    case 'refresh_token_reused':
      return 'the refresh token was already used (refresh tokens are single-use, and another program holding the same login redeemed it).';
    case 'refresh_token_invalidated':
      return 'the refresh token was revoked.';
    default:
      return `the refresh token was rejected${code ? ` (${code})` : ''}.`;
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause != null && typeof cause.code === 'string') return cause.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  return error instanceof Error ? error.message : String(error);
}

const unspentFailures = new WeakSet<CodexAuthError>();

function unspent(error: CodexAuthError): CodexAuthError {
  unspentFailures.add(error);
  return error;
}

/**
 * True when a refresh failed without the endpoint handing out new tokens: it could not be reached, did not
 * answer in time, or answered with a transient error. Such a refresh token may be presented again, as the
 * Codex CLI does when it retries; only a success answer (even one whose body could not be read) spends it.
 */
export function isUnspentRefreshError(error: unknown): boolean {
  return CodexAuthError.isInstance(error) && unspentFailures.has(error);
}

/**
 * Aborts when either signal does: `AbortSignal.any`, which edge runtimes lack. `release()` removes the listeners,
 * so that a long-lived caller signal does not collect one per refresh.
 */
function eitherSignal(first: AbortSignal, second: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const sources = [first, second];
  const abort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  const release = () => {
    for (const source of sources) source.removeEventListener('abort', abort);
  };
  for (const source of sources) {
    if (source.aborted) controller.abort(source.reason);
    else source.addEventListener('abort', abort, { once: true });
  }
  return { signal: controller.signal, release };
}
