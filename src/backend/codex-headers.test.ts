import { describe, expect, it } from 'vitest';
import { createCodexHeaders } from './codex-headers';

describe('createCodexHeaders', () => {
  it('sends credentials, originator, session id and our user agent; user headers cannot replace the credentials', () => {
    const headers = createCodexHeaders({
      credentials: { accessToken: 'token', accountId: 'account' },
      originator: 'my_app',
      sessionId: 'session',
      headers: [
        { 'X-Custom': 'a', Authorization: 'Bearer other', 'User-Agent': 'my-app/1.0' },
        { 'x-custom': 'b', 'x-unset': undefined },
      ],
    });
    expect(headers).toEqual({
      'x-custom': 'b',
      authorization: 'Bearer token',
      'chatgpt-account-id': 'account',
      originator: 'my_app',
      'session-id': 'session',
      'user-agent': expect.stringMatching(/^my-app\/1\.0 ai-sdk-provider-codex\/\S+$/),
    });
  });

  it('sends no account header without an account id', () => {
    const headers = createCodexHeaders({
      credentials: { accessToken: 'token' },
      originator: 'o',
      headers: [{ 'ChatGPT-Account-ID': 'stale' }],
    });
    expect(headers['chatgpt-account-id']).toBeUndefined();
  });
});
