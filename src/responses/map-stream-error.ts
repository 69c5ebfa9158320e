import { createProviderStreamError, type ProviderStreamError } from '@ai-sdk/provider-utils';
import { classifyStreamError } from '../backend/classify-stream-error';
import type { CodexStreamError } from '../backend/event-schemas';

/** An error frame that arrived after output started, as an `error` stream part payload. */
export function createCodexStreamError(error: CodexStreamError, frame: unknown): ProviderStreamError {
  const { statusCode, isRetryable } = classifyStreamError(error);
  return createProviderStreamError({
    message: error.message,
    type: error.type ?? undefined,
    code: error.code ?? undefined,
    statusCode,
    isRetryable,
    data: frame,
  });
}
