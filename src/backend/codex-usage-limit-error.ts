import { APICallError } from '@ai-sdk/provider';
import type { CodexRateLimits } from './rate-limits';

const name = 'AI_CodexUsageLimitError';
const marker = `vercel.ai.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * The subscription's usage limit is reached (HTTP 429 `usage_limit_reached`). Retrying does not
 * help until `resetsAt`, so it is never retryable. It is an `APICallError`, so code that handles
 * those keeps working.
 */
export class CodexUsageLimitError extends APICallError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: the marker is read via Symbol.for in isInstance.
  private readonly [symbol] = true;

  /** When the limit resets, if the backend said. */
  readonly resetsAt: Date | undefined;
  /** The ChatGPT plan, e.g. `plus`, `pro`, `free`. */
  readonly planType: string | undefined;
  /** The rate-limit headers of the response. */
  readonly rateLimits: CodexRateLimits | undefined;

  constructor({
    message,
    url,
    requestBodyValues,
    responseHeaders,
    responseBody,
    data,
    resetsAt,
    planType,
    rateLimits,
  }: {
    message: string;
    url: string;
    requestBodyValues: unknown;
    responseHeaders?: Record<string, string>;
    responseBody?: string;
    data?: unknown;
    resetsAt?: Date;
    planType?: string;
    rateLimits?: CodexRateLimits;
  }) {
    super({
      message,
      url,
      requestBodyValues,
      statusCode: 429,
      responseHeaders,
      responseBody,
      data,
      isRetryable: false,
    });
    this.name = name;
    this.resetsAt = resetsAt;
    this.planType = planType;
    this.rateLimits = rateLimits;
  }

  static override isInstance(error: unknown): error is CodexUsageLimitError {
    return APICallError.hasMarker(error, marker);
  }
}

/** The Codex CLI's wording, with the reset time when known. */
export function usageLimitMessage({ planType, resetsAt }: { planType?: string; resetsAt?: Date }): string {
  const plan = planType != null ? ` (${planType} plan)` : '';
  const reset = resetsAt != null ? ` Try again after ${resetsAt.toISOString()}.` : ' Try again later.';
  return `You've hit your ChatGPT usage limit for Codex${plan}.${reset}`;
}
