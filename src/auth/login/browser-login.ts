import type { FetchFunction } from '@ai-sdk/provider-utils';
import { parsePastedRedirect, readAuthorizationCode } from './authorization-callback';
import { buildAuthorizeUrl } from './authorize-url';
import { callbackPorts } from './bind-loopback-server';
import { startCallbackServer } from './callback-server';
import { CodexLoginError } from './codex-login-error';
import { exchangeAuthorizationCode, type LoginTokens } from './exchange-authorization-code';
import { generatePkce, generateState } from './pkce';

export interface BrowserLoginOptions {
  issuer: string;
  clientId: string;
  /** Sent as the authorize URL's `originator`, as the Codex CLI does (`codex_cli_rs` there). */
  originator: string;
  /** Callback port; default 1455. The fallback port (default 1457) is used only with the default port. */
  port?: number;
  fallbackPort?: number;
  /** Persists the tokens before the browser is told the login succeeded. */
  save: (tokens: LoginTokens) => Promise<void>;
  /** Shows the authorize URL (and opens a browser). The login waits for it. */
  onAuthorizeUrl: (authorize: { url: string; redirectUri: string }) => void | Promise<void>;
  /**
   * Lines the user pastes when the browser cannot reach this machine (e.g. over SSH): the address the
   * browser was redirected to. Optional; the login also completes through the callback server.
   */
  pastedRedirects?: AsyncIterable<string>;
  /** Told about a pasted line that is not this login's redirect; the login keeps waiting. */
  onPasteRejected?: (error: CodexLoginError) => void;
  fetch?: FetchFunction;
  abortSignal?: AbortSignal;
  /** Bind retries on a busy port (defaults: 10 attempts, 200 ms apart, as the Codex CLI). */
  bindAttempts?: number;
  bindRetryDelayMs?: number;
}

/**
 * The Codex CLI's browser sign-in: PKCE, a callback server on 127.0.0.1:1455 (else 1457), the
 * authorize URL, the code exchange. A pasted redirect URL completes the same login when the browser
 * runs on another machine.
 */
export async function loginWithBrowser(options: BrowserLoginOptions): Promise<LoginTokens> {
  const { issuer, clientId, abortSignal } = options;
  abortSignal?.throwIfAborted();
  const pkce = await generatePkce();
  const state = generateState();

  // The callback and a paste may both arrive: the code is redeemed once.
  let completion: Promise<LoginTokens> | undefined;
  const complete = (code: string, redirectUri: string) => {
    completion ??= (async () => {
      const tokens = await exchangeAuthorizationCode({
        issuer,
        clientId,
        code,
        redirectUri,
        codeVerifier: pkce.codeVerifier,
        fetch: options.fetch,
        abortSignal,
      });
      await options.save(tokens);
      return tokens;
    })();
    return completion;
  };

  const ports = callbackPorts(options.port);
  const server = await startCallbackServer({
    port: ports.port,
    fallbackPort: options.fallbackPort ?? ports.fallbackPort,
    state,
    complete,
    bindAttempts: options.bindAttempts,
    bindRetryDelayMs: options.bindRetryDelayMs,
  });

  try {
    const url = buildAuthorizeUrl({
      issuer,
      clientId,
      redirectUri: server.redirectUri,
      codeChallenge: pkce.codeChallenge,
      state,
      originator: options.originator,
    });
    await options.onAuthorizeUrl({ url, redirectUri: server.redirectUri });

    const contenders: Array<Promise<LoginTokens>> = [server.result];
    if (options.pastedRedirects != null) {
      contenders.push(
        readPastedRedirects(options.pastedRedirects, state, options.onPasteRejected).then(code =>
          complete(code, server.redirectUri),
        ),
      );
    }
    if (abortSignal != null) {
      contenders.push(
        new Promise<never>((_, reject) => {
          abortSignal.addEventListener('abort', () => reject(abortSignal.reason), { once: true });
        }),
      );
    }
    return await Promise.race(contenders);
  } finally {
    await server.close();
  }
}

/** Resolves with the code of the first pasted line that is this login's redirect; never if input ends. */
async function readPastedRedirects(
  lines: AsyncIterable<string>,
  state: string,
  onRejected: ((error: CodexLoginError) => void) | undefined,
): Promise<string> {
  for await (const line of lines) {
    if (line.trim() === '') {
      continue;
    }
    try {
      return readAuthorizationCode(parsePastedRedirect(line), state);
    } catch (error) {
      // A wrong paste is retried; an OAuth error in the pasted redirect ends the login.
      if (
        CodexLoginError.isInstance(error) &&
        (error.reason === 'invalid-redirect-url' || error.reason === 'state-mismatch')
      ) {
        onRejected?.(error);
        continue;
      }
      throw error;
    }
  }
  return new Promise<string>(() => {});
}
