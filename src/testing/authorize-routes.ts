import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import { type EmulatorState, htmlResponse, recordedRoute } from './emulator-state';
import type { AuthorizationRequest } from './login-flows';
import { consentPage, messagePage } from './login-pages';

const DECISION_PATH = '/oauth/authorize/decision';

function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { location } });
}

function callbackUrl(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/** Default redirect URIs: the Codex CLI's `http://localhost:<port>/auth/callback` (any port, for tests). */
export function isLoopbackCallback(uri: string): boolean {
  try {
    const url = new URL(uri);
    return (
      url.protocol === 'http:' &&
      (url.hostname === 'localhost' || url.hostname === '127.0.0.1') &&
      url.pathname === '/auth/callback'
    );
  } catch {
    return false;
  }
}

/** `GET /oauth/authorize` (PKCE, consent page or auto-approve) and the consent form's decision. */
export function registerAuthorizeRoutes(app: Hono<{ Bindings: HttpBindings }>, state: EmulatorState): void {
  const approve = (request: AuthorizationRequest) => {
    const code = state.flows.issueCode({
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
    });
    return redirect(callbackUrl(request.redirectUri, { code, state: request.state }));
  };

  app.get(
    '/oauth/authorize',
    recordedRoute(state, 'authorize', async (_c, record) => {
      const q = record.query;
      // Without a trusted client and redirect URI there is nowhere safe to send an error (RFC 6749 §4.1.2.1).
      if (q.client_id !== state.clientId) {
        return htmlResponse(400, messagePage('Authorization failed', 'Unknown client_id.'));
      }
      const redirectUri = q.redirect_uri ?? '';
      if (!state.settings.isRedirectUriAllowed(redirectUri)) {
        return htmlResponse(
          400,
          messagePage('Authorization failed', 'This redirect_uri is not allowed for the client.'),
        );
      }
      const fail = (error: string, description: string) =>
        redirect(
          callbackUrl(redirectUri, {
            error,
            error_description: description,
            ...(q.state ? { state: q.state } : {}),
          }),
        );
      if (q.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be code');
      if (q.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge ?? '')) {
        return fail('invalid_request', 'A code_challenge with code_challenge_method=S256 is required');
      }
      if (!q.state) return fail('invalid_request', 'state is required');

      const request = state.flows.startAuthorization({
        clientId: q.client_id,
        redirectUri,
        codeChallenge: q.code_challenge!,
        state: q.state,
        scope: q.scope ?? 'openid profile email offline_access',
      });
      if (state.settings.autoApprove) return approve(state.flows.takeAuthorization(request.id)!);
      return htmlResponse(
        200,
        consentPage({
          requestId: request.id,
          email: state.settings.account.email ?? 'codex-user@example.com',
          scope: request.scope,
          action: DECISION_PATH,
        }),
      );
    }),
  );

  app.post(
    DECISION_PATH,
    recordedRoute(state, 'authorize_decision', async (_c, record) => {
      const fields = (record.body ?? {}) as Record<string, unknown>;
      const request =
        typeof fields.request_id === 'string' ? state.flows.takeAuthorization(fields.request_id) : undefined;
      if (!request) {
        return htmlResponse(
          400,
          messagePage('Authorization failed', 'This sign-in request is unknown or was already answered.'),
        );
      }
      if (fields.decision !== 'approve') {
        return redirect(
          callbackUrl(request.redirectUri, {
            error: 'access_denied',
            error_description: 'The user cancelled the sign-in',
            state: request.state,
          }),
        );
      }
      return approve(request);
    }),
  );
}
