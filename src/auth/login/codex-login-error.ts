import { AISDKError } from '@ai-sdk/provider';

const name = 'AI_CodexLoginError';
const marker = `vercel.ai.error.${name}`;
const symbol = Symbol.for(marker);

export type CodexLoginErrorReason =
  | 'cancelled'
  | 'oauth-error'
  | 'codex-not-enabled'
  | 'state-mismatch'
  | 'missing-code'
  | 'invalid-redirect-url'
  | 'token-exchange-failed'
  | 'invalid-tokens'
  | 'port-in-use'
  | 'device-code-unsupported'
  | 'device-code-expired'
  | 'device-code-failed';

/**
 * A login that could not be completed. The message says what went wrong and what to do next; it
 * never contains a token, an authorization code or a PKCE verifier.
 */
export class CodexLoginError extends AISDKError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: the marker `isInstance` checks, across copies of the package
  private readonly [symbol] = true;

  readonly reason: CodexLoginErrorReason;

  constructor({
    reason,
    message,
    cause,
  }: {
    reason: CodexLoginErrorReason;
    message: string;
    cause?: unknown;
  }) {
    super({ name, message, cause });
    this.reason = reason;
  }

  static override isInstance(error: unknown): error is CodexLoginError {
    return AISDKError.hasMarker(error, marker);
  }
}
