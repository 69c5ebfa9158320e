import { CodexAuthError } from '../../src/auth/codex-auth-error';

/** How a worker reports an error to its test: the message, and the reason of a `CodexAuthError`. */
export function describeWorkerError(error: unknown): { error: string; reason?: string } {
  return {
    error: error instanceof Error ? error.message : String(error),
    reason: CodexAuthError.isInstance(error) ? error.reason : undefined,
  };
}
