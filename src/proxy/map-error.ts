import {
  APICallError,
  InvalidArgumentError,
  InvalidPromptError,
  NoSuchModelError,
  TypeValidationError,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import { isProviderStreamError } from '@ai-sdk/provider-utils';
import { CodexAuthError } from '../auth/codex-auth-error';
import { CodexUsageLimitError } from '../backend/codex-usage-limit-error';
import { errorTypeForStatus, type OpenAIErrorType, ProxyError } from './proxy-error';
import { upstreamHeaders } from './upstream-headers';

/**
 * Turns anything a model call or an upstream request can throw into the status and OpenAI error envelope the
 * client gets. Messages come from this package's errors, which never contain tokens; those that name the
 * server's files, locks or internal addresses (login problems, unreachable backends) are told in general terms,
 * their full text kept as `serverDetail` for the server's log.
 */
export function toProxyError(error: unknown, now: () => number = Date.now): ProxyError {
  if (error instanceof ProxyError) return error;

  if (CodexUsageLimitError.isInstance(error)) {
    const retryAfter =
      error.resetsAt != null ? Math.max(1, Math.ceil((error.resetsAt.getTime() - now()) / 1000)) : undefined;
    return new ProxyError({
      message: error.message,
      status: 429,
      type: 'usage_limit_reached',
      code: 'usage_limit_reached',
      headers: {
        ...upstreamHeaders(error.responseHeaders),
        ...(retryAfter != null ? { 'retry-after': String(retryAfter) } : {}),
      },
      // The fields the Codex CLI reads from a 429, so it shows its own usage-limit message.
      extra: {
        ...(error.resetsAt != null ? { resets_at: Math.floor(error.resetsAt.getTime() / 1000) } : {}),
        ...(error.planType != null ? { plan_type: error.planType } : {}),
      },
    });
  }

  // No answer, because the connection failed: the message names the backend's address.
  if (APICallError.isInstance(error) && error.statusCode == null && error.cause != null) {
    return new ProxyError({
      message:
        'The proxy could not reach the Codex backend; the request can be retried. The proxy’s log has the details.',
      status: 502,
      type: 'server_error',
      code: 'backend_unreachable',
      serverDetail: error.message,
    });
  }

  if (APICallError.isInstance(error)) {
    const status = error.statusCode ?? 502;
    return new ProxyError({
      message: error.message,
      status,
      type: errorTypeForStatus(status),
      code: codeOf(error.data),
      headers: upstreamHeaders(error.responseHeaders),
    });
  }

  if (CodexAuthError.isInstance(error)) {
    // The proxy's own ChatGPT login is unusable: the client can do nothing but tell the user.
    return new ProxyError({
      message: error.isRetryable
        ? 'The proxy’s ChatGPT login is unavailable for a moment; the request can be retried. The proxy’s log has the details.'
        : 'The proxy’s ChatGPT login cannot be used: whoever runs the proxy must sign in again (`npx ai-sdk-provider-codex login`). The proxy’s log has the details.',
      status: error.isRetryable ? 503 : 401,
      type: error.isRetryable ? 'server_error' : 'authentication_error',
      code: `codex_auth_${error.reason.replaceAll('-', '_')}`,
      serverDetail: error.message,
    });
  }

  if (isProviderStreamError(error)) {
    const status = error.statusCode ?? 500;
    return new ProxyError({
      message: error.message,
      status,
      type: (error.type as OpenAIErrorType | undefined) ?? errorTypeForStatus(status),
      code: error.code != null ? String(error.code) : null,
    });
  }

  if (NoSuchModelError.isInstance(error)) {
    return new ProxyError({
      message: error.message,
      status: 404,
      type: 'not_found_error',
      code: 'model_not_found',
    });
  }

  if (
    InvalidArgumentError.isInstance(error) ||
    InvalidPromptError.isInstance(error) ||
    UnsupportedFunctionalityError.isInstance(error) ||
    TypeValidationError.isInstance(error)
  ) {
    return new ProxyError({ message: error.message, status: 400, type: 'invalid_request_error' });
  }

  return new ProxyError({
    message: 'The proxy failed to handle the request. Run it with --verbose for details.',
    status: 500,
    type: 'server_error',
  });
}

/**
 * The error code in an `APICallError`'s data: an HTTP error body (`{error:{code}}`) or the stream frame that
 * failed the response before any output (`{type:'response.failed', response:{error:{code}}}`, `{type:'error', code}`).
 */
function codeOf(data: unknown): string | null {
  const record = asRecord(data);
  const error = asRecord(record?.error) ?? asRecord(asRecord(record?.response)?.error) ?? record;
  const code = error?.code;
  return typeof code === 'string' ? code : null;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
