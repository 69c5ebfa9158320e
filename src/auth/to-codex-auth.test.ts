import { InvalidArgumentError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { createMemoryCredentialStore } from './sources/memory-store';
import { toCodexAuth } from './to-codex-auth';
import { CodexTokenManager } from './token-manager';

describe('toCodexAuth', () => {
  it('passes a CodexAuth through unchanged', () => {
    const auth = { getCredentials: async () => ({ accessToken: 'a' }) };
    expect(toCodexAuth(auth)).toBe(auth);
  });

  it('wraps a credential store in a token manager that reads it', async () => {
    const store = createMemoryCredentialStore({ accessToken: 'not-a-jwt', accountId: 'acct_1' });
    const auth = toCodexAuth(store);
    expect(auth).toBeInstanceOf(CodexTokenManager);
    await expect(auth.getCredentials()).resolves.toMatchObject({
      accessToken: 'not-a-jwt',
      accountId: 'acct_1',
    });
  });

  it('serves fixed credentials as given', async () => {
    const auth = toCodexAuth({ accessToken: 'token', accountId: 'acct_1' });
    await expect(auth.getCredentials()).resolves.toEqual({ accessToken: 'token', accountId: 'acct_1' });
  });

  it('rejects an empty access token with a typed error', () => {
    expect(() => toCodexAuth({ accessToken: '' })).toThrow(InvalidArgumentError);
  });
});
