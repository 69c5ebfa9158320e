import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiKeyCheck, resolveProxyApiKey } from './api-key';

describe('createApiKeyCheck', () => {
  const check = createApiKeyCheck('s3cret-key');

  it('accepts exactly the key as a bearer token', () => {
    expect(check('Bearer s3cret-key')).toBe(true);
    expect(check('bearer s3cret-key')).toBe(true);
  });

  it.each([
    undefined,
    '',
    'Bearer ',
    'Bearer s3cret-ke',
    'Bearer s3cret-key2',
    's3cret-key',
    'Basic s3cret-key',
  ])('refuses %j', header => {
    expect(check(header)).toBe(false);
  });
});

describe('resolveProxyApiKey', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('takes the option, else CODEX_PROXY_API_KEY, and treats an empty key as none', () => {
    vi.stubEnv('CODEX_PROXY_API_KEY', 'from-env');
    expect(resolveProxyApiKey('given')).toBe('given');
    expect(resolveProxyApiKey(undefined)).toBe('from-env');
    vi.stubEnv('CODEX_PROXY_API_KEY', '');
    expect(resolveProxyApiKey(undefined)).toBeUndefined();
    expect(resolveProxyApiKey('')).toBeUndefined();
  });
});
