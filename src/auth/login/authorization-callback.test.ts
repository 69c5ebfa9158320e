import { describe, expect, it } from 'vitest';
import { parsePastedRedirect, readAuthorizationCode } from './authorization-callback';
import { CodexLoginError } from './codex-login-error';

function reasonOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return CodexLoginError.isInstance(error) ? error.reason : 'not a CodexLoginError';
  }
  return undefined;
}

describe('readAuthorizationCode', () => {
  it('returns the code when the state matches', () => {
    expect(readAuthorizationCode(new URLSearchParams('code=abc&state=s1'), 's1')).toBe('abc');
  });

  it('rejects another login attempt’s state before looking at anything else', () => {
    expect(reasonOf(() => readAuthorizationCode(new URLSearchParams('code=abc&state=other'), 's1'))).toBe(
      'state-mismatch',
    );
  });

  it('reports a missing Codex entitlement as the Codex CLI does', () => {
    const params = new URLSearchParams({
      state: 's1',
      error: 'access_denied',
      error_description: 'missing_codex_entitlement',
    });
    expect(reasonOf(() => readAuthorizationCode(params, 's1'))).toBe('codex-not-enabled');
    expect(() => readAuthorizationCode(params, 's1')).toThrow(/Codex is not enabled for your workspace/);
  });

  it('reports other OAuth errors with their description, and a missing code', () => {
    expect(() =>
      readAuthorizationCode(
        new URLSearchParams('state=s1&error=access_denied&error_description=User+said+no'),
        's1',
      ),
    ).toThrow(/Sign-in failed: User said no/);
    expect(reasonOf(() => readAuthorizationCode(new URLSearchParams('state=s1'), 's1'))).toBe('missing-code');
  });
});

describe('parsePastedRedirect', () => {
  it('accepts the whole redirect URL or just its query', () => {
    expect(parsePastedRedirect('  http://localhost:1455/auth/callback?code=c1&state=s1 \n').get('code')).toBe(
      'c1',
    );
    expect(parsePastedRedirect('?code=c2&state=s2').get('state')).toBe('s2');
    expect(parsePastedRedirect('code=c3&state=s3').get('code')).toBe('c3');
  });

  it('rejects text that is not a redirect, without echoing it', () => {
    for (const text of ['hello', 'http://localhost:1455/auth/callback', 'code=abc', 'https://[broken']) {
      expect(reasonOf(() => parsePastedRedirect(text))).toBe('invalid-redirect-url');
    }
    expect(() => parsePastedRedirect('secret-looking-text')).not.toThrow(/secret-looking-text/);
  });
});
