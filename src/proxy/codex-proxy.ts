import { InvalidArgumentError } from '@ai-sdk/provider';
import { type FetchFunction, withoutTrailingSlash } from '@ai-sdk/provider-utils';
import type { CodexAuth } from '../auth/codex-auth';
import { createDefaultCodexAuth } from '../auth/default-codex-auth';
import { type CodexAuthSetting, toCodexAuth } from '../auth/to-codex-auth';
import type { CodexUsageLimitWait } from '../backend/usage-limit-settings';
import { type CodexProviderSettings, createCodexWithClient } from '../codex-provider';
import { createHostCheck, type ServedAddress } from './allowed-hosts';
import { resolveProxyApiKey } from './api-key';
import { createHostAndOriginCheck } from './browser-guard';
import { createProxyApp, type ProxyBackend } from './create-proxy-app';
import { type CodexProxyLogger, createProxyLog } from './proxy-logger';
import { ResponseStore } from './responses/response-store';
import {
  createResponsesWebSocketServer,
  type ResponsesWebSocketServer,
  upstreamWebSocketMode,
} from './responses/responses-websocket';

export interface CodexProxyOptions {
  /**
   * Settings of the Codex provider behind the proxy, as for `createCodex`: `baseURL`, `auth`, `headers`,
   * `fetch`, `originator`, … Default: the login the Codex CLI uses (`$CODEX_HOME/auth.json`), kept fresh.
   */
  codex?: CodexProviderSettings;
  /**
   * The key clients must send as `Authorization: Bearer <key>`. Default: `CODEX_PROXY_API_KEY`. Without
   * either, `createCodexProxy` throws unless `allowUnauthenticated` is set.
   */
  apiKey?: string;
  /**
   * Serve clients that send no key, when there is none: anyone who reaches the handler spends the
   * subscription. Default: false (`serveCodexProxy` on a loopback address: true).
   */
  allowUnauthenticated?: boolean;
  /**
   * Host names clients reach the proxy by, besides `localhost`, `127.0.0.1` and `[::1]`: requests naming any
   * other `Host` are refused (a web page can point its own domain at this machine). `.example.com` also allows
   * its subdomains, `name:port` only that port; `true` allows any host. Default: none.
   */
  allowedHosts?: string[] | true;
  /**
   * Web pages allowed to call the proxy: `true` for any origin, or the allowed origins. Requests from other
   * pages (with an `Origin` header other than the proxy's own) are refused, and so are their preflights.
   * Default: none.
   */
  cors?: boolean | { origin: string | string[] };
  /** Largest request body accepted, in bytes (larger ones get a 413). Default: 32 MiB. */
  maxBodyBytes?: number;
  /** The path the proxy is mounted under, e.g. `/api/codex` for a Next.js route. Default: none. */
  basePath?: string;
  /** Where log lines go. Default: `console`. */
  logger?: CodexProxyLogger;
  /** Log every request (headers and body, secrets redacted). Default: only failures of the proxy. */
  verbose?: boolean;
}

/** A web-standard request handler: mount it in any fetch-based server or a Next.js route. */
export type CodexProxyHandler = (request: Request) => Promise<Response>;

/** The handler, and the WebSocket clients of `/v1/responses` for a Node.js server's `upgrade` events. */
export type ServedProxyHandler = CodexProxyHandler & { webSockets: ResponsesWebSocketServer };

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Creates the OpenAI-compatible proxy: `POST /v1/chat/completions` (served by the Codex language model),
 * `POST /v1/responses` (passed to the Codex backend after normalising), `GET /v1/models`, `GET /v1/usage`
 * (the last known usage limits), `GET /health`.
 */
export function createCodexProxy(options: CodexProxyOptions = {}): CodexProxyHandler {
  return createProxyHandler(options, { served: () => undefined });
}

/**
 * The proxy, refusing `Host` names other than the address it is `served` under (when known) and the allowed.
 * `httpFetch` is the server's own `fetch` for the backend's HTTP requests: unlike a `fetch` in the settings, it
 * leaves the WebSocket transport on.
 */
export function createProxyHandler(
  options: CodexProxyOptions,
  { served, httpFetch }: { served: () => ServedAddress | undefined; httpFetch?: FetchFunction },
): ServedProxyHandler {
  const settings = options.codex ?? {};
  const apiKey = resolveProxyApiKey(options.apiKey);
  if (apiKey == null && options.allowUnauthenticated !== true) {
    throw new InvalidArgumentError({
      argument: 'apiKey',
      message:
        'The Codex proxy needs an API key, or anyone who reaches it could use your ChatGPT subscription: pass apiKey (clients send it as "Authorization: Bearer <key>") or set CODEX_PROXY_API_KEY. To serve without one, pass allowUnauthenticated: true.',
    });
  }
  const isAllowedHost = createHostCheck({ allowedHosts: options.allowedHosts ?? [], served });
  // One credential holder for both endpoints, so that tokens are refreshed once for all requests.
  const auth = resolveAuth(settings.auth);
  const log = createProxyLog({
    logger: options.logger ?? console,
    verbose: options.verbose ?? false,
    secrets: [apiKey],
  });
  const onUsageLimit = settings.onUsageLimit && {
    ...settings.onUsageLimit,
    // A held request shows nothing to its client until the answer starts, so the proxy says why.
    onWait: (wait: CodexUsageLimitWait) => {
      log.info(
        `usage limit of ${wait.modelId} reached: holding the request ${Math.ceil(wait.waitMs / 1000)} s, until ${wait.resetsAt.toISOString()}`,
      );
      settings.onUsageLimit?.onWait?.(wait);
    },
  };
  const { provider, client } = createCodexWithClient({ ...settings, auth, onUsageLimit }, { httpFetch });

  const backend: ProxyBackend = {
    languageModel: modelId => provider.languageModel(modelId),
    listModels: () => provider.listModels(),
    client,
  };

  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const basePath = withoutTrailingSlash(options.basePath) ?? '';
  // Responses kept for `previous_response_id`, whichever of HTTP and WebSocket made or continues them.
  const store = new ResponseStore();
  const app = createProxyApp({
    backend,
    log,
    apiKey,
    isAllowedHost,
    cors: options.cors,
    maxBodyBytes,
    basePath,
    store,
  });
  const webSockets = createResponsesWebSocketServer({
    path: `${basePath}/v1/responses`,
    checkHostAndOrigin: createHostAndOriginCheck({ isAllowedHost, cors: options.cors }),
    apiKey,
    maxMessageBytes: maxBodyBytes,
    context: {
      client,
      store,
      log,
      webSocket: upstreamWebSocketMode(settings.transport, settings.fetch != null),
    },
  });
  return Object.assign(async (request: Request) => app.fetch(request), { webSockets });
}

function resolveAuth(auth: CodexAuthSetting | undefined): CodexAuth {
  return auth == null ? createDefaultCodexAuth() : toCodexAuth(auth);
}
