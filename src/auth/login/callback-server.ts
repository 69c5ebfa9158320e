import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { readAuthorizationCode } from './authorization-callback';
import { bindLoopbackServer } from './bind-loopback-server';
import { CodexLoginError } from './codex-login-error';
import { errorPage, successPage } from './login-pages';

/** How long to wait for the browser to follow the redirect to `/success` before closing anyway. */
const SUCCESS_PAGE_GRACE_MS = 5_000;

export interface CallbackServer<RESULT> {
  readonly port: number;
  /** `http://localhost:<port>/auth/callback`, the redirect URI registered for the Codex CLI's client. */
  readonly redirectUri: string;
  /** Settles with the login's result, or with the error that ended it (`/cancel`, an OAuth error). */
  readonly result: Promise<RESULT>;
  close(): Promise<void>;
}

/**
 * The local server that receives the OAuth redirect, with the routes of the Codex CLI's login server:
 * `/auth/callback` (checks `state`, then `complete(code)`, then redirects to `/success`),
 * `/success` and `/cancel` (sent by a newer login that needs the port).
 */
export async function startCallbackServer<RESULT>({
  port,
  fallbackPort,
  state,
  complete,
  bindAttempts,
  bindRetryDelayMs,
}: {
  port: number;
  fallbackPort?: number;
  state: string;
  complete: (code: string, redirectUri: string) => Promise<RESULT>;
  bindAttempts?: number;
  bindRetryDelayMs?: number;
}): Promise<CallbackServer<RESULT>> {
  let settle!: { resolve: (value: RESULT) => void; reject: (error: unknown) => void };
  const result = new Promise<RESULT>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Keep an unobserved rejection (e.g. after close) from crashing the process.
  result.catch(() => {});
  let completed: { value: RESULT } | undefined;
  let redirectUri = '';

  const app = new Hono();
  app.get('/auth/callback', async c => {
    const params = new URL(c.req.url).searchParams;
    if (params.get('state') !== state) {
      // A stray or forged request: answer it and keep waiting for the real redirect.
      return c.text('State mismatch', 400);
    }
    try {
      const value = await complete(readAuthorizationCode(params, state), redirectUri);
      completed = { value };
      setTimeout(() => settle.resolve(value), SUCCESS_PAGE_GRACE_MS).unref();
      return c.redirect('/success', 302);
    } catch (error) {
      settle.reject(error);
      const message = error instanceof Error ? error.message : String(error);
      return c.html(errorPage(message), 400, { connection: 'close' });
    }
  });
  app.get('/success', c => {
    if (completed == null) {
      return c.text('Not Found', 404);
    }
    settle.resolve(completed.value);
    return c.html(successPage(), 200, { connection: 'close' });
  });
  app.get('/cancel', c => {
    settle.reject(
      new CodexLoginError({
        reason: 'cancelled',
        message:
          'Login cancelled: another login on this machine took over the callback port. Run the login again.',
      }),
    );
    return c.text('Login cancelled', 200, { connection: 'close' });
  });

  const bound = await bindLoopbackServer({
    port,
    fallbackPort,
    listener: getRequestListener(app.fetch),
    attempts: bindAttempts,
    retryDelayMs: bindRetryDelayMs,
  });
  redirectUri = `http://localhost:${bound.port}/auth/callback`;

  return {
    port: bound.port,
    redirectUri,
    result,
    close: () =>
      new Promise<void>(resolve => {
        bound.server.close(() => resolve());
        bound.server.closeAllConnections();
      }),
  };
}
