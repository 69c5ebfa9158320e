import { APICallError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { postToCodex } from './post-to-codex';

const url = 'https://chatgpt.example/backend-api/codex/responses';
const body = { model: 'gpt-5.5', input: [] };
const keepResponse = async ({ response }: { response: Response }) => ({ value: response });

function failWith(error: unknown) {
  return async () => {
    throw error;
  };
}

describe('postToCodex', () => {
  it('posts the body as JSON with the given headers and hands a 2xx answer to the handler', async () => {
    let sent: RequestInit | undefined;
    const { value } = await postToCodex({
      url,
      headers: { authorization: 'Bearer t', accept: 'text/event-stream' },
      body,
      successfulResponseHandler: async ({ response, requestBodyValues }) => ({
        value: { text: await response.text(), requestBodyValues },
      }),
      fetch: async (_url, init) => {
        sent = init;
        return new Response('ok');
      },
    });
    expect(value).toEqual({ text: 'ok', requestBodyValues: body });
    expect(sent).toMatchObject({
      method: 'POST',
      headers: { authorization: 'Bearer t', accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  });

  it('throws a non-2xx answer as the backend error it describes', async () => {
    const error = await postToCodex({
      url,
      headers: {},
      body,
      successfulResponseHandler: keepResponse,
      fetch: async () => Response.json({ detail: 'Unsupported parameter: temperature' }, { status: 400 }),
    }).catch(caught => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 400, message: 'Unsupported parameter: temperature', url });
  });

  it('a connection that cannot be made is a retryable error that says why', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = await postToCodex({
      url,
      headers: {},
      body,
      successfulResponseHandler: keepResponse,
      fetch: failWith(new TypeError('fetch failed', { cause: refused })),
    }).catch(caught => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      message: 'Cannot connect to API: connect ECONNREFUSED 127.0.0.1:9',
      isRetryable: true,
      url,
      requestBodyValues: body,
    });
  });

  it('passes aborts and unrelated errors through as they are', async () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    const post = (error: unknown) =>
      postToCodex({
        url,
        headers: {},
        body,
        successfulResponseHandler: keepResponse,
        fetch: failWith(error),
      });
    await expect(post(abort)).rejects.toBe(abort);
    const bug = new RangeError('invalid header');
    await expect(post(bug)).rejects.toBe(bug);
  });

  it('a handler that fails on a 2xx answer gives an APICallError with the status; a broken body may be retried', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const post = (error: unknown) =>
      postToCodex({
        url,
        headers: {},
        body,
        successfulResponseHandler: failWith(error),
        fetch: async () => new Response('ok', { status: 201 }),
      }).catch(caught => caught);

    const broken = await post(reset);
    expect(APICallError.isInstance(broken)).toBe(true);
    expect(broken).toMatchObject({ statusCode: 201, cause: reset, isRetryable: true });

    const invalid = await post(new SyntaxError('bad'));
    expect(invalid).toMatchObject({ statusCode: 201, isRetryable: false });
  });
});
