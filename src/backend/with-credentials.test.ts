import { APICallError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import type { CodexAuth, CodexCredentials } from '../auth/codex-auth';
import { withCredentials } from './with-credentials';

const unauthorized = () =>
  new APICallError({ message: 'Unauthorized', url: 'u', requestBodyValues: {}, statusCode: 401 });

describe('withCredentials', () => {
  it('retries once with what handleUnauthorized returns after a 401', async () => {
    const rejected: CodexCredentials[] = [];
    const auth: CodexAuth = {
      getCredentials: async () => ({ accessToken: 'old' }),
      handleUnauthorized: async credentials => {
        rejected.push(credentials);
        return { accessToken: 'new' };
      },
    };
    const sent: string[] = [];
    const result = await withCredentials(auth, undefined, async credentials => {
      sent.push(credentials.accessToken);
      if (credentials.accessToken === 'old') throw unauthorized();
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(sent).toEqual(['old', 'new']);
    expect(rejected).toEqual([{ accessToken: 'old' }]);
  });

  it('gives up after the one retry, or when there is nothing better', async () => {
    let calls = 0;
    const alwaysRejected: CodexAuth = {
      getCredentials: async () => ({ accessToken: 'a' }),
      handleUnauthorized: async () => ({ accessToken: 'b' }),
    };
    await expect(
      withCredentials(alwaysRejected, undefined, async () => {
        calls++;
        throw unauthorized();
      }),
    ).rejects.toMatchObject({ statusCode: 401 });
    expect(calls).toBe(2);

    const noRecovery: CodexAuth = {
      getCredentials: async () => ({ accessToken: 'a' }),
      handleUnauthorized: async () => undefined,
    };
    await expect(
      withCredentials(noRecovery, undefined, async () => Promise.reject(unauthorized())),
    ).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('does not retry other errors', async () => {
    let recoveries = 0;
    const auth: CodexAuth = {
      getCredentials: async () => ({ accessToken: 'a' }),
      handleUnauthorized: async () => {
        recoveries++;
        return { accessToken: 'b' };
      },
    };
    const forbidden = new APICallError({ message: 'no', url: 'u', requestBodyValues: {}, statusCode: 403 });
    await expect(withCredentials(auth, undefined, async () => Promise.reject(forbidden))).rejects.toBe(
      forbidden,
    );
    expect(recoveries).toBe(0);
  });
});
