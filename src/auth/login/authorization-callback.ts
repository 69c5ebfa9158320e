import { CodexLoginError } from './codex-login-error';

/**
 * Reads the authorization code from the query of the OAuth redirect (`/auth/callback?code=…&state=…`),
 * with the checks and messages of the Codex CLI's callback server.
 */
export function readAuthorizationCode(params: URLSearchParams, expectedState: string): string {
  if (params.get('state') !== expectedState) {
    throw new CodexLoginError({
      reason: 'state-mismatch',
      message:
        'The sign-in response does not belong to this login attempt (state mismatch). ' +
        'Use the URL printed by this login, or start the login again.',
    });
  }
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description') ?? undefined;
    if (error === 'access_denied' && description?.toLowerCase().includes('missing_codex_entitlement')) {
      throw new CodexLoginError({
        reason: 'codex-not-enabled',
        message:
          'Codex is not enabled for your workspace. Contact your workspace administrator to request access to Codex.',
      });
    }
    throw new CodexLoginError({
      reason: 'oauth-error',
      message: `Sign-in failed: ${description?.trim() ? description : error}. Start the login again.`,
    });
  }
  const code = params.get('code');
  if (!code) {
    throw new CodexLoginError({
      reason: 'missing-code',
      message: 'Missing authorization code: sign-in could not be completed. Start the login again.',
    });
  }
  return code;
}

/**
 * Parses what a user pasted after the browser failed to reach the local callback server: the whole
 * redirect URL (`http://localhost:1455/auth/callback?code=…&state=…`) or just its query string.
 */
export function parsePastedRedirect(input: string): URLSearchParams {
  const text = input.trim();
  let params: URLSearchParams;
  if (/^https?:\/\//i.test(text)) {
    try {
      params = new URL(text).searchParams;
    } catch {
      throw invalidPaste();
    }
  } else {
    params = new URLSearchParams(text.startsWith('?') ? text.slice(1) : text);
  }
  if (!params.has('state') || !(params.has('code') || params.has('error'))) {
    throw invalidPaste();
  }
  return params;
}

function invalidPaste(): CodexLoginError {
  return new CodexLoginError({
    reason: 'invalid-redirect-url',
    message:
      'That is not the sign-in redirect URL. Copy the whole address from the browser’s address bar ' +
      '(it starts with http://localhost:…/auth/callback?code=) and paste it here.',
  });
}
