import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { readAuthorizationCode } from './authorization-callback';
import { bindLoopbackServer } from './bind-loopback-server';
import { CodexLoginError } from './codex-login-error';
import { isLocalProgramRequest } from './is-local-program-request';
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
 * `/success` and `GET /cancel` (sent by a newer login on this machine that needs the port; refused to web pages).
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
  let bound: Awaited<ReturnType<typeof bindLoopbackServer>> | undefined;
  // Like the Codex CLI's server, stop listening once the login has ended: a newer login may need the port.
  const stopListening = () => bound?.server.close();
  let settle!: { resolve: (value: RESULT) => void; reject: (error: unknown) => void };
  const result = new Promise<RESULT>((resolve, reject) => {
    settle = {
      resolve: value => {
        resolve(value);
        stopListening();
      },
      reject: error => {
        reject(error);
        stopListening();
      },
    };
  });
  // Keep an unobserved rejection (e.g. after close) from crashing the process.
  result.catch(() => {});
  let completed: { value: RESULT } | undefined;
  let redirectUri = '';

  // Settle only once the response is on the wire: the caller closes the server as soon as the login ends.
  const afterResponse = (c: Context<{ Bindings: HttpBindings }>, action: () => void) =>
    c.env.outgoing.once('finish', action);

  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/auth/callback', async c => {
    const params = new URL(c.req.url).searchParams;
    if (params.get('state') !== state) {
      // A stray or forged request: answer it and keep waiting for the real redirect.
      return c.text('State mismatch', 400);
    }
    try {
      const value = await complete(readAuthorizationCode(params, state), redirectUri);
      completed = { value };
      // Settles at /success, or after a grace period if the browser does not follow the redirect.
      setTimeout(() => settle.resolve(value), SUCCESS_PAGE_GRACE_MS).unref();
      return c.redirect('/success', 302);
    } catch (error) {
      afterResponse(c, () => settle.reject(error));
      const message = error instanceof Error ? error.message : String(error);
      return c.html(errorPage(message), 400, { connection: 'close' });
    }
  });
  app.get('/success', c => {
    const done = completed;
    if (done == null) {
      return c.text('Not Found', 404);
    }
    afterResponse(c, () => settle.resolve(done.value));
    return c.html(successPage(), 200, { connection: 'close' });
  });
  app.get('/cancel', c => {
    // Only another login on this machine may end this one, never a web page the user happens to visit.
    if (!isLocalProgramRequest(c.req.raw.headers, bound?.port ?? port)) {
      return c.text('Forbidden', 403);
    }
    afterResponse(c, () =>
      settle.reject(
        new CodexLoginError({
          reason: 'cancelled',
          message:
            'Login cancelled: another login on this machine took over the callback port. Run the login again.',
        }),
      ),
    );
    return c.text('Login cancelled', 200, { connection: 'close' });
  });

  bound = await bindLoopbackServer({
    port,
    fallbackPort,
    listener: getRequestListener(app.fetch),
    attempts: bindAttempts,
    retryDelayMs: bindRetryDelayMs,
  });
  redirectUri = `http://localhost:${bound.port}/auth/callback`;

  const { server } = bound;
  return {
    port: bound.port,
    redirectUri,
    result,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
