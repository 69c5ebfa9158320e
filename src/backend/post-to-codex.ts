import { APICallError } from '@ai-sdk/provider';
import { type FetchFunction, isAbortError, type ResponseHandler } from '@ai-sdk/provider-utils';
import { codexFailedResponseHandler } from './codex-error';
import { isNetworkError } from './network-error';

// What fetch implementations throw when no connection could be made (the cause says why).
const FETCH_FAILED_MESSAGES = new Set(['fetch failed', 'failed to fetch']);

/**
 * POSTs `body` as JSON to the backend. A 2xx answer goes to `successfulResponseHandler`; any other is
 * thrown as `codexFailedResponseHandler` describes it. This is provider-utils' `postJsonToApi`, with the
 * same errors, less its trip of the headers through a `Headers` object and back on every call (a tenth
 * of the CPU of a short call): `createCodexHeaders` gives them lower-cased, with the user agent.
 */
export async function postToCodex<T>({
  url,
  headers,
  body,
  successfulResponseHandler,
  abortSignal,
  fetch = globalThis.fetch,
}: {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  successfulResponseHandler: ResponseHandler<T>;
  abortSignal?: AbortSignal;
  fetch?: FetchFunction;
}): Promise<{ value: T; responseHeaders?: Record<string, string> }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: abortSignal,
    });
  } catch (error) {
    throw connectionError(error, url, body);
  }

  const handler = { response, url, requestBodyValues: body };
  try {
    if (!response.ok) throw (await codexFailedResponseHandler(handler)).value;
    return await successfulResponseHandler(handler);
  } catch (error) {
    if (isAbortError(error) || APICallError.isInstance(error)) throw error;
    throw new APICallError({
      message: `Failed to read the Codex backend's answer (status ${response.status}).`,
      cause: error,
      statusCode: response.status,
      url,
      requestBodyValues: body,
      isRetryable: isNetworkError(error),
    });
  }
}

/** A request that could not reach the backend, as a retryable `APICallError`; other errors as they are. */
function connectionError(error: unknown, url: string, requestBodyValues: unknown): unknown {
  if (isAbortError(error) || !(error instanceof Error)) return error;
  const failed = error instanceof TypeError && FETCH_FAILED_MESSAGES.has(error.message.toLowerCase());
  if (!failed && !isNetworkError(error)) return error;
  const reason = failed && error.cause instanceof Error ? error.cause.message : error.message;
  return new APICallError({
    message: `Cannot connect to API: ${reason}`,
    cause: error,
    url,
    requestBodyValues,
    isRetryable: true,
  });
}
