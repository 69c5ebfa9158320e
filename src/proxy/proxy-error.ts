/** OpenAI's error `type` values that this proxy answers with. */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'usage_limit_reached'
  | 'server_error'
  | 'api_error';

/** The error `type` OpenAI's API uses with an HTTP status. */
export function errorTypeForStatus(status: number): OpenAIErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** The body OpenAI answers errors with: `{"error":{message,type,param,code}}`. */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: OpenAIErrorType | (string & {});
    param: string | null;
    code: string | null;
    [extra: string]: unknown;
  };
}

/**
 * An error the proxy answers with an HTTP status and OpenAI's error envelope. Thrown by the request
 * conversions for input the backend cannot take, so the client learns what to change.
 */
export class ProxyError extends Error {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly param: string | null;
  readonly code: string | null;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;
  /** What the server's log gets instead of `message`, when the full story names its files or addresses. */
  readonly serverDetail: string | undefined;

  constructor({
    message,
    status = 400,
    type = 'invalid_request_error',
    param = null,
    code = null,
    headers = {},
    extra = {},
    serverDetail,
  }: {
    message: string;
    status?: number;
    type?: OpenAIErrorType;
    param?: string | null;
    code?: string | null;
    headers?: Record<string, string>;
    extra?: Record<string, unknown>;
    serverDetail?: string;
  }) {
    super(message);
    this.name = 'ProxyError';
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
    this.headers = headers;
    this.extra = extra;
    this.serverDetail = serverDetail;
  }

  toBody(): OpenAIErrorBody {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code, ...this.extra },
    };
  }
}

/** The backend's stream ended before the response did (no final event): a retryable 502. */
export function incompleteResponseError(): ProxyError {
  return new ProxyError({
    message: 'The Codex backend ended the response before it completed. Retry the request.',
    status: 502,
    type: 'server_error',
    code: 'incomplete_response',
  });
}
