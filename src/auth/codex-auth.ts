/** What a request to the Codex backend needs to authenticate. */
export interface CodexCredentials {
  /** The ChatGPT OAuth access token (a JWT), sent as `Authorization: Bearer …`. */
  accessToken: string;
  /** The ChatGPT account id, sent as `ChatGPT-Account-ID`. */
  accountId?: string;
}

/**
 * Supplies credentials to every model call. The language model calls `getCredentials()` before each
 * request and, when the backend answers 401, `handleUnauthorized()` once before retrying once.
 */
export interface CodexAuth {
  getCredentials(options?: { abortSignal?: AbortSignal }): Promise<CodexCredentials>;
  /**
   * Called after the backend rejected `rejected` with a 401. Returns credentials to retry with
   * (refreshed, or adopted from another process), or `undefined` when there is nothing better to try.
   */
  handleUnauthorized?(
    rejected: CodexCredentials,
    options?: { abortSignal?: AbortSignal },
  ): Promise<CodexCredentials | undefined>;
}
