import { describe, expect, it } from 'vitest';
import { resolveChatgptBaseURL, resolveOriginator, resolveRevokeURL } from './cli-settings';

describe('resolveChatgptBaseURL', () => {
  it('prefers the option, then CODEX_CHATGPT_BASE_URL, then CODEX_BASE_URL without /codex', () => {
    const env = {
      CODEX_CHATGPT_BASE_URL: 'http://env/backend-api/',
      CODEX_BASE_URL: 'http://base/backend-api/codex',
    };
    expect(resolveChatgptBaseURL('http://opt/backend-api/', env)).toBe('http://opt/backend-api');
    expect(resolveChatgptBaseURL(undefined, env)).toBe('http://env/backend-api');
    expect(resolveChatgptBaseURL(undefined, { CODEX_BASE_URL: 'http://base/backend-api/codex/' })).toBe(
      'http://base/backend-api',
    );
  });

  it('defaults to chatgpt.com, also for a CODEX_BASE_URL it cannot derive from', () => {
    expect(resolveChatgptBaseURL(undefined, {})).toBe('https://chatgpt.com/backend-api');
    expect(resolveChatgptBaseURL(undefined, { CODEX_BASE_URL: 'http://proxy/v1' })).toBe(
      'https://chatgpt.com/backend-api',
    );
  });
});

describe('resolveOriginator and resolveRevokeURL', () => {
  it('follow the Codex CLI’s defaults and overrides', () => {
    expect(resolveOriginator({})).toBe('codex_cli_rs');
    expect(resolveOriginator({ CODEX_INTERNAL_ORIGINATOR_OVERRIDE: 'mine' })).toBe('mine');
    expect(resolveRevokeURL('https://auth.openai.com', {})).toBe('https://auth.openai.com/oauth/revoke');
    expect(resolveRevokeURL('x', { CODEX_REVOKE_TOKEN_URL_OVERRIDE: 'http://r/revoke' })).toBe(
      'http://r/revoke',
    );
  });
});
