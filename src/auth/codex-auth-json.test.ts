import { describe, expect, it } from 'vitest';
import { CodexAuthError } from './codex-auth-error';
import { mergeCodexAuthJson, parseCodexAuthJson } from './codex-auth-json';

const document = {
  auth_mode: 'chatgpt',
  OPENAI_API_KEY: null,
  tokens: { id_token: 'id-1', access_token: 'at-1', refresh_token: 'rt-1', account_id: 'acct', extra: 7 },
  last_refresh: '2026-01-01T00:00:00Z',
  agent_identity: { kept: true },
};

describe('parseCodexAuthJson', () => {
  it('reads the login', async () => {
    const { login } = await parseCodexAuthJson(JSON.stringify(document), 'file');
    expect(login).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1', idToken: 'id-1', accountId: 'acct' });
  });

  it('reads a file saved with a UTF-8 byte-order mark', async () => {
    const { login } = await parseCodexAuthJson(`\uFEFF${JSON.stringify(document, null, 2)}`, 'file');
    expect(login.refreshToken).toBe('rt-1');
  });

  it('never quotes the content in its errors', async () => {
    const error = await parseCodexAuthJson('{"tokens":{"refresh_token":"rt-secret"', 'file').catch(e => e);
    expect(CodexAuthError.isInstance(error)).toBe(true);
    expect(error.message).not.toContain('rt-secret');
  });
});

describe('mergeCodexAuthJson', () => {
  it('replaces the tokens and keeps every other field, in its place', () => {
    const merged = mergeCodexAuthJson(document, { accessToken: 'at-2', refreshToken: 'rt-2' });
    expect(Object.keys(merged)).toEqual(Object.keys(document));
    expect(merged).toMatchObject({
      agent_identity: { kept: true },
      tokens: { id_token: 'id-1', access_token: 'at-2', refresh_token: 'rt-2', account_id: 'acct', extra: 7 },
    });
    expect(merged.last_refresh).not.toBe(document.last_refresh);
  });

  it('writes a new ChatGPT login in the CLI layout', () => {
    const merged = mergeCodexAuthJson(undefined, {
      accessToken: 'at',
      refreshToken: 'rt',
      idToken: 'id',
      accountId: 'a',
    });
    expect(Object.keys(merged)).toEqual(['auth_mode', 'OPENAI_API_KEY', 'tokens', 'last_refresh']);
    expect(merged).toMatchObject({ auth_mode: 'chatgpt', OPENAI_API_KEY: null });
  });
});
