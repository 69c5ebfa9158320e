import type { CodexStreamError } from './event-schemas';

// Error codes of `response.failed` and `error` events, with the Codex CLI's verdict on retrying
// (codex-rs/codex-api/src/sse/responses.rs): only rate limits and unknown failures are transient.
const knownCodes: Record<string, { statusCode: number; isRetryable: boolean }> = {
  context_length_exceeded: { statusCode: 400, isRetryable: false },
  insufficient_quota: { statusCode: 429, isRetryable: false },
  usage_limit_reached: { statusCode: 429, isRetryable: false },
  usage_not_included: { statusCode: 403, isRetryable: false },
  cyber_policy: { statusCode: 400, isRetryable: false },
  misalignment_policy_violation: { statusCode: 400, isRetryable: false },
  invalid_prompt: { statusCode: 400, isRetryable: false },
  bio_policy: { statusCode: 400, isRetryable: false },
  rate_limit_exceeded: { statusCode: 429, isRetryable: true },
  server_is_overloaded: { statusCode: 503, isRetryable: true },
  slow_down: { statusCode: 503, isRetryable: true },
};

/** The HTTP status and retryability an error frame stands for. */
export function classifyStreamError(error: CodexStreamError): { statusCode: number; isRetryable: boolean } {
  const known =
    (typeof error.code === 'string' ? knownCodes[error.code] : undefined) ??
    (error.type != null ? knownCodes[error.type] : undefined);
  if (known != null) return known;

  const text = `${error.code ?? ''} ${error.type ?? ''}`.toLowerCase();
  const statusCode = text.includes('rate_limit')
    ? 429
    : text.includes('auth')
      ? 401
      : text.includes('permission')
        ? 403
        : text.includes('not_found')
          ? 404
          : text.includes('invalid') || text.includes('bad_request')
            ? 400
            : text.includes('overload')
              ? 503
              : text.includes('timeout')
                ? 504
                : 500;
  return { statusCode, isRetryable: statusCode === 429 || statusCode >= 500 };
}
