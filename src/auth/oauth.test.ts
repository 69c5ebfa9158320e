import { afterEach, expect, it, vi } from 'vitest';
import { refreshCodexTokens, resolveCodexAuthIssuer, resolveCodexTokenURL } from './oauth';

afterEach(() => {
  vi.unstubAllEnvs();
});

it('resolves the token endpoint as the Codex CLI does: explicit, then the override, then the issuer', () => {
  vi.stubEnv('CODEX_REFRESH_TOKEN_URL_OVERRIDE', '');
  vi.stubEnv('CODEX_AUTH_ISSUER', '');
  expect(resolveCodexTokenURL()).toBe('https://auth.openai.com/oauth/token');

  vi.stubEnv('CODEX_AUTH_ISSUER', 'http://127.0.0.1:9/');
  expect(resolveCodexAuthIssuer()).toBe('http://127.0.0.1:9');
  expect(resolveCodexTokenURL()).toBe('http://127.0.0.1:9/oauth/token');

  vi.stubEnv('CODEX_REFRESH_TOKEN_URL_OVERRIDE', 'http://127.0.0.1:8/token');
  expect(resolveCodexTokenURL({ issuer: 'http://other' })).toBe('http://127.0.0.1:8/token');
  expect(resolveCodexTokenURL({ tokenURL: 'http://explicit/token' })).toBe('http://explicit/token');
});

it("stops a refresh when the caller's signal aborts, without AbortSignal.any (absent on edge runtimes)", async () => {
  const any = AbortSignal.any;
  Object.defineProperty(AbortSignal, 'any', { value: undefined, configurable: true });
  try {
    const controller = new AbortController();
    const fetch = vi.fn(
      (_url: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    );
    const refresh = refreshCodexTokens({
      refreshToken: 'rt',
      tokenURL: 'http://127.0.0.1:9/oauth/token',
      fetch,
      abortSignal: controller.signal,
    });
    controller.abort(new Error('caller gave up'));
    await expect(refresh).rejects.toThrow('caller gave up');
  } finally {
    Object.defineProperty(AbortSignal, 'any', { value: any, configurable: true });
  }
});

it("leaves no listener on the caller's signal once a refresh is over", async () => {
  const controller = new AbortController();
  const added = vi.spyOn(controller.signal, 'addEventListener');
  const removed = vi.spyOn(controller.signal, 'removeEventListener');
  const fetch = vi.fn(async () => Response.json({ access_token: 'at', refresh_token: 'rt2' }));
  await refreshCodexTokens({
    refreshToken: 'rt',
    tokenURL: 'http://127.0.0.1:9/oauth/token',
    fetch,
    abortSignal: controller.signal,
  });
  expect(added).toHaveBeenCalledTimes(1);
  expect(removed).toHaveBeenCalledWith('abort', added.mock.calls[0]?.[1]);
});
