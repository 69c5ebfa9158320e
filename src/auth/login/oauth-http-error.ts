import { APICallError } from '@ai-sdk/provider';
import { createJsonErrorResponseHandler, isAbortError } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';
import { CodexLoginError, type CodexLoginErrorReason } from './codex-login-error';

const oauthErrorSchema = z.object({
  error: z
    .union([z.string(), z.object({ code: z.string().nullish(), message: z.string().nullish() })])
    .nullish(),
  error_description: z.string().nullish(),
  code: z.string().nullish(),
});

/** Reads `error_description`, `error.message` or the error code, in the Codex CLI's order. */
export const oauthFailedResponseHandler = createJsonErrorResponseHandler({
  errorSchema: oauthErrorSchema,
  errorToMessage: ({ error, error_description, code }) =>
    error_description?.trim() ||
    (typeof error === 'object' ? error?.message?.trim() || error?.code : error) ||
    code ||
    'unknown error',
});

/**
 * Turns a failed OAuth call into a `CodexLoginError` that says what failed and what to do next.
 * Request values, response bodies and causes stay out of it: they can hold codes and tokens.
 */
export function toLoginError(
  error: unknown,
  { action, reason, nextStep }: { action: string; reason: CodexLoginErrorReason; nextStep: string },
): unknown {
  if (isAbortError(error) || CodexLoginError.isInstance(error)) {
    return error;
  }
  let detail: string;
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    detail =
      status == null
        ? `could not reach ${error.url} (${error.message})`
        : status >= 200 && status < 300
          ? `${error.url} answered ${status} with an unexpected body`
          : `${error.url} answered ${status}: ${error.message}`;
  } else {
    detail = error instanceof Error ? error.message : String(error);
  }
  return new CodexLoginError({ reason, message: `${action} failed: ${detail}. ${nextStep}` });
}
