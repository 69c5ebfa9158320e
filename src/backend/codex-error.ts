import { APICallError } from '@ai-sdk/provider';
import { extractResponseHeaders, type ResponseHandler, safeParseJSON } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';
import { classifyStreamError } from './classify-stream-error';
import { CodexUsageLimitError, usageLimitMessage } from './codex-usage-limit-error';
import type { CodexStreamError } from './event-schemas';
import { parseRateLimits } from './rate-limits';

// The backend answers its own validation errors with `{"detail": …}` and model-layer errors with
// the OpenAI envelope `{"error": {…}}`.
const codexErrorBodySchema = z.union([
  z.object({
    error: z.looseObject({
      message: z.string().nullish(),
      type: z.string().nullish(),
      code: z.union([z.string(), z.number()]).nullish(),
      param: z.string().nullish(),
      plan_type: z.string().nullish(),
      resets_at: z.number().nullish(),
    }),
  }),
  z.object({ detail: z.unknown() }),
]);

export type CodexErrorBody = z.infer<typeof codexErrorBodySchema>;

/** Turns a non-2xx answer of the backend into an `APICallError` (or a `CodexUsageLimitError`). */
export const codexFailedResponseHandler: ResponseHandler<APICallError> = async ({
  response,
  url,
  requestBodyValues,
}) => {
  const responseBody = await response.text();
  const responseHeaders = extractResponseHeaders(response);
  const parsed = await safeParseJSON({ text: responseBody, schema: codexErrorBodySchema });
  const body = parsed.success ? parsed.value : undefined;
  const statusCode = response.status;

  if (body != null && 'error' in body) {
    const { error } = body;
    if (error.type === 'usage_limit_reached' || error.code === 'usage_limit_reached') {
      const resetsAt = error.resets_at != null ? new Date(error.resets_at * 1000) : undefined;
      const planType = error.plan_type ?? undefined;
      return {
        responseHeaders,
        value: new CodexUsageLimitError({
          message: usageLimitMessage({ planType, resetsAt }),
          url,
          requestBodyValues,
          responseHeaders,
          responseBody,
          data: body,
          resetsAt,
          planType,
          rateLimits: parseRateLimits(responseHeaders),
        }),
      };
    }
  }

  return {
    responseHeaders,
    value: new APICallError({
      message: errorMessage(body, responseBody, response),
      url,
      requestBodyValues,
      statusCode,
      responseHeaders,
      responseBody,
      data: body,
      // `usage_not_included`: the plan has no Codex access; retrying cannot help.
      ...(body != null &&
        'error' in body &&
        body.error.type === 'usage_not_included' && { isRetryable: false }),
    }),
  };
};

function errorMessage(body: CodexErrorBody | undefined, responseBody: string, response: Response): string {
  if (body != null) {
    if ('error' in body) {
      if (body.error.message) return body.error.message;
    } else if (typeof body.detail === 'string') {
      return body.detail;
    } else if (body.detail != null) {
      return JSON.stringify(body.detail);
    }
  }
  if (response.status === 403 && responseBody.includes('Cloudflare')) {
    return 'Access blocked by Cloudflare (status 403). This usually happens when connecting from a restricted region or network.';
  }
  return response.statusText || `HTTP ${response.status}`;
}

/** The parameter named by a `400 {"detail":"Unsupported parameter: X"}` answer. */
export function getUnsupportedParameter(error: APICallError): string | undefined {
  if (error.statusCode !== 400) return undefined;
  return /^Unsupported parameter: ?'?([\w.]+)'?/.exec(error.message)?.[1];
}

/** Whether the backend asked for `instructions` (it did in 2025 when they were missing). */
export function isInstructionsRequired(error: APICallError): boolean {
  return error.statusCode === 400 && /instructions are required/i.test(error.message);
}

/**
 * An `error` or `response.failed` frame that arrived before any output, as the error `doStream`
 * throws, so that the AI SDK's retry logic sees it like an HTTP error.
 */
export function createEarlyStreamError({
  streamError,
  frame,
  url,
  requestBodyValues,
  responseHeaders,
}: {
  streamError: CodexStreamError;
  frame: unknown;
  url: string;
  requestBodyValues: unknown;
  responseHeaders: Record<string, string>;
}): APICallError {
  if (streamError.code === 'usage_limit_reached' || streamError.type === 'usage_limit_reached') {
    const resetsAt = streamError.resets_at != null ? new Date(streamError.resets_at * 1000) : undefined;
    const planType = streamError.plan_type ?? undefined;
    return new CodexUsageLimitError({
      message: usageLimitMessage({ planType, resetsAt }),
      url,
      requestBodyValues,
      responseHeaders,
      responseBody: JSON.stringify(frame),
      data: frame,
      resetsAt,
      planType,
      rateLimits: parseRateLimits(responseHeaders),
    });
  }

  const { statusCode, isRetryable } = classifyStreamError(streamError);
  return new APICallError({
    message: streamError.message,
    url,
    requestBodyValues,
    statusCode,
    responseHeaders,
    responseBody: JSON.stringify(frame),
    data: frame,
    isRetryable,
  });
}
