import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { isLoopbackCallback, registerAuthorizeRoutes } from './authorize-routes';
import { registerBackendRoutes } from './backend-routes';
import { registerDeviceCodeRoutes } from './device-code-routes';
import { currentRateLimits, type EmulatorState, jsonResponse, recordedRoute } from './emulator-state';
import { LoginFlows } from './login-flows';
import { defaultModelsCatalog, type EmulatorModelInfo } from './models-catalog';
import { registerOAuthRoutes } from './oauth-routes';
import {
  applyRateLimitUpdate,
  createRateLimitState,
  type RateLimitState,
  type RateLimitUpdate,
} from './rate-limit-headers';
import { createCounters, type EmulatorCounters, type RecordedRequest } from './request-log';
import { DEFAULT_VALIDATION_RULES, type ValidationRules } from './request-validation';
import { attachResponsesWebSocket } from './responses-websocket';
import {
  type EmulatorRoute,
  type FaultOptions,
  Script,
  type ScriptedDrop,
  type ScriptedHttp,
  type ScriptedResponse,
  type ScriptedStall,
} from './scripting';
import { TokenRequestHold } from './token-request-hold';
import {
  CODEX_CLIENT_ID,
  type EmulatorAccount,
  type EmulatorLogin,
  type LoginOptions,
  TokenAuthority,
} from './tokens';
import { UsageWindow, type UsageWindowOptions } from './usage-window';

/** Options of {@link startCodexEmulator}. All are optional. */
export interface CodexEmulatorOptions {
  /** Port on 127.0.0.1. Default: a free random port. */
  port?: number;
  /** Switch validation rules of `POST /responses` on or off (see {@link ValidationRules}); `false` turns all off. */
  validation?: Partial<ValidationRules> | false;
  /** Default account of `login()` and of browser/device-code logins (account id, user id, email, plan). */
  account?: EmulatorAccount;
  /** Access-token lifetime in seconds. Default 864000 (10 days, like auth.openai.com). */
  accessTokenTtlSeconds?: number;
  /** Id-token lifetime in seconds. Default 3600. */
  idTokenTtlSeconds?: number;
  /** Refresh-token lifetime in seconds. Default: no time limit (they still rotate and are single-use). */
  refreshTokenTtlSeconds?: number;
  /** Delay before `POST /oauth/token` answers, to widen refresh races in tests. Default 0. */
  tokenEndpointDelayMs?: number;
  /**
   * A spent refresh token presented again within this many ms of its redemption is answered
   * `refresh_token_reused` without revoking its login, so that the winner of a refresh race stays signed in
   * (and the loser can adopt its tokens). Later reuse revokes the login. Default 0 (every reuse revokes).
   */
  refreshReuseGraceMs?: number;
  /** Approve browser logins without the consent page and device codes as soon as they are issued. Default false. */
  autoApprove?: boolean;
  /** `interval` the device-code endpoint tells clients to poll at, in seconds. Default 5. */
  deviceCodeIntervalSeconds?: number;
  /** OAuth client id the OAuth endpoints accept. Default: the Codex CLI's `app_EMoamEEZ73f0CkXaXp7hrann`. */
  clientId?: string;
  /** Redirect URIs `/oauth/authorize` accepts. Default: `http://localhost:<any port>/auth/callback` (and 127.0.0.1). */
  isRedirectUriAllowed?: (uri: string) => boolean;
  /** When false, backend routes also accept requests without a known access token. Default true. */
  requireAuth?: boolean;
  /**
   * The model catalog served by `/models` and checked by the `knownModel` and Responses Lite rules.
   * Default: the Codex CLI 0.171 catalog ({@link defaultModelsCatalog}); `augustModelsCatalog()` gives
   * the August 2026 one (gpt-5.5, gpt-5.4, gpt-5.4-mini, gpt-5.2).
   */
  models?: EmulatorModelInfo[];
  /** Initial usage windows and credits reported in `x-codex-*` headers and `/wham/usage`. */
  rateLimits?: RateLimitUpdate;
  /** Open `/responses` WebSockets allowed per account; beyond, requests get `websocket_connection_limit_reached`. Default 32. */
  websocketConnectionLimit?: number;
  /** Age after which a WebSocket answers `websocket_connection_limit_reached`. Default 60 minutes, as the backend. */
  websocketMaxAgeMs?: number;
  /**
   * A primary usage window of N requests that resets S seconds after its first request, to cross a usage
   * limit in a test. When set, it replaces the primary window of `rateLimits` and decides the 429s.
   */
  usageWindow?: UsageWindowOptions;
  /** Clock in epoch milliseconds, for token expiry and reset times. Default `Date.now`. */
  now?: () => number;
}

/** The Codex CLI's `$CODEX_HOME/auth.json` for a ChatGPT login. */
export interface CodexAuthJson {
  auth_mode: 'chatgpt';
  OPENAI_API_KEY: null;
  tokens: { id_token: string; access_token: string; refresh_token: string; account_id: string };
  last_refresh: string;
}

/** A running emulator. See {@link startCodexEmulator}. */
export interface CodexEmulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `${url}/backend-api/codex`: what `createCodex({ baseURL })` and the CLI's provider `base_url` take. */
  readonly baseURL: string;
  /** `${url}/backend-api/`: the CLI's `chatgpt_base_url` (for `/wham/usage`). */
  readonly chatgptBaseURL: string;
  /** OAuth issuer for login flows (`CODEX_AUTH_ISSUER`, `codex login --experimental_issuer`). */
  readonly issuer: string;
  /** `${url}/oauth/token` (`CODEX_REFRESH_TOKEN_URL_OVERRIDE`). */
  readonly tokenURL: string;
  /** Every request received, in order, with decoded bodies. A live array. */
  readonly requests: RecordedRequest[];
  /** Live counters (token-endpoint calls, refreshes, reuse rejections, requests per route, …). */
  readonly counters: EmulatorCounters;
  /** The current usage windows and credits (the request-counting window, when set, as the primary one). */
  readonly rateLimits: RateLimitState;
  /** Scripted `/responses` answers not yet used. */
  readonly pendingResponses: number;

  /** Issues a fresh login (a new token family), as if the user had just signed in. */
  login(options?: LoginOptions): Promise<EmulatorLogin>;
  /** The Codex CLI `auth.json` for a login (write it to `$CODEX_HOME/auth.json`). */
  authJson(login: EmulatorLogin, options?: { lastRefresh?: Date }): CodexAuthJson;
  /**
   * Queues answers for the next valid `POST /responses` requests, first in first out: turns built with
   * `textTurn()` & co., raw events, SSE bytes, HTTP errors, drops, stalls — or a function of the request.
   * Requests that fail auth, usage limits or validation do not consume them. When the queue is empty the
   * emulator answers with a default turn.
   */
  enqueue(...responses: Array<ScriptedResponse | ((request: RecordedRequest) => ScriptedResponse)>): void;
  /**
   * Holds the next `count` `POST /oauth/token` requests until all of them have arrived (or `timeoutMs`, default
   * 10 s, has passed), then answers them in arrival order: a refresh race whose clients all present their
   * refresh token before any answer, and whose first arrival wins.
   */
  holdTokenRequests(count: number, options?: { timeoutMs?: number }): void;
  /** Makes the next `times` requests to `route` (default: 1 request to `responses`) fail this way, before any check. */
  fault(response: ScriptedHttp | ScriptedDrop | ScriptedStall, options?: FaultOptions): void;
  /** Requests received on one route. */
  requestsTo(route: EmulatorRoute): RecordedRequest[];
  /** Changes the usage windows; at 100 % used, `/responses` answers 429 `usage_limit_reached`. */
  setRateLimits(update: RateLimitUpdate): void;
  /** Starts a fresh request-counting usage window (see {@link CodexEmulatorOptions.usageWindow}), or removes it. */
  setUsageWindow(options: UsageWindowOptions | undefined): void;
  /** Switches validation rules on or off. */
  setValidation(rules: Partial<ValidationRules>): void;
  /** Replaces the model catalog. */
  setModels(models: EmulatorModelInfo[]): void;
  /** Approves the pending device-code login with this user code (as the `/codex/device` page does). */
  approveDeviceCode(userCode: string): boolean;
  /** Denies the pending device-code login with this user code. */
  denyDeviceCode(userCode: string): boolean;
  /** Makes an access token expired: the backend answers it 401 `token_expired`. */
  expireAccessToken(accessToken: string): boolean;
  /** Makes a refresh token answer 401 `refresh_token_expired`. */
  expireRefreshToken(refreshToken: string): boolean;
  /** Makes a refresh token answer 401 `refresh_token_invalidated`. */
  invalidateRefreshToken(refreshToken: string): boolean;
  /**
   * Revokes a whole login (by any of its tokens): refreshes answer `refresh_token_invalidated` and its
   * access tokens get 401 `token_invalidated`, as after a logout elsewhere or a plan change.
   */
  revokeLogin(loginOrToken: EmulatorLogin | string): boolean;
  /** Cuts every open `/responses` WebSocket, as the backend does on a deploy; returns how many were open. */
  dropWebSockets(): number;
  /** Forgets recorded requests, counters, scripted answers and faults (tokens and settings stay). */
  reset(): void;
  /** Stops the server and cuts open connections (stalled streams included). */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts an emulator of the ChatGPT Codex backend and its OAuth server on `127.0.0.1` (random port), so
 * apps and tests run offline, without an account or quota.
 *
 * It serves `POST /backend-api/codex/responses` (SSE) and its WebSocket (`GET` upgraded, `response.create`
 * messages, incremental input with `previous_response_id`), `GET /backend-api/codex/models`,
 * `GET /backend-api/wham/usage`, `POST /oauth/token` (rotating single-use refresh tokens, PKCE code
 * exchange), `GET /oauth/authorize` with a consent page, the device-code endpoints and `/codex/device`,
 * with the backend's validation answers, `x-codex-*` rate-limit headers, usage-limit 429s and 401s.
 *
 * @example
 * ```ts
 * import { createCodex } from 'ai-sdk-provider-codex';
 * import { functionCallTurn, startCodexEmulator, textTurn } from 'ai-sdk-provider-codex/testing';
 *
 * const emulator = await startCodexEmulator();
 * const login = await emulator.login({ planType: 'pro' });
 * const codex = createCodex({
 *   baseURL: emulator.baseURL,
 *   auth: { accessToken: login.accessToken, accountId: login.accountId },
 * });
 *
 * emulator.enqueue(
 *   functionCallTurn({ name: 'weather', arguments: { city: 'Paris' } }),
 *   textTurn('It is sunny in Paris.'),
 * );
 * // … run the app with codex('gpt-5.5'); unscripted requests get a default answer. Then inspect:
 * expect(emulator.requestsTo('responses')[0]?.body).toMatchObject({ store: false, stream: true });
 * await emulator.close();
 * ```
 *
 * With the Codex CLI: write `emulator.authJson(login)` to `$CODEX_HOME/auth.json`, point a custom
 * provider (`requires_openai_auth = true`) at `emulator.baseURL`, and `CODEX_REFRESH_TOKEN_URL_OVERRIDE`
 * at `emulator.tokenURL`.
 */
export async function startCodexEmulator(options: CodexEmulatorOptions = {}): Promise<CodexEmulator> {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? CODEX_CLIENT_ID;
  let url = '';
  const account = options.account ?? {};

  const state: EmulatorState = {
    clientId,
    tokens: new TokenAuthority({
      issuer: () => url,
      clientId,
      now,
      defaults: account,
      lifetimes: {
        accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 864_000,
        idTokenTtlSeconds: options.idTokenTtlSeconds ?? 3600,
        refreshTokenTtlSeconds: options.refreshTokenTtlSeconds,
      },
      reuseGraceMs: options.refreshReuseGraceMs ?? 0,
    }),
    flows: new LoginFlows({ now, clientId, deviceRedirectUri: () => `${url}/deviceauth/callback` }),
    script: new Script<RecordedRequest>(),
    tokenHold: new TokenRequestHold(),
    requests: [],
    counters: createCounters(),
    promptCache: new Map(),
    now,
    url: () => url,
    rateLimits: createRateLimitState(Math.floor(now() / 1000), options.rateLimits),
    usageWindow: options.usageWindow && new UsageWindow(options.usageWindow),
    models: options.models ?? defaultModelsCatalog(),
    validation:
      options.validation === false
        ? (Object.fromEntries(
            Object.keys(DEFAULT_VALIDATION_RULES).map(rule => [rule, false]),
          ) as unknown as ValidationRules)
        : { ...DEFAULT_VALIDATION_RULES, ...options.validation },
    settings: {
      requireAuth: options.requireAuth ?? true,
      autoApprove: options.autoApprove ?? false,
      tokenEndpointDelayMs: options.tokenEndpointDelayMs ?? 0,
      deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 5,
      account,
      isRedirectUriAllowed: options.isRedirectUriAllowed ?? isLoopbackCallback,
      websocketConnectionLimit: options.websocketConnectionLimit ?? 32,
      websocketMaxAgeMs: options.websocketMaxAgeMs ?? 60 * 60_000,
    },
  };

  const app = new Hono<{ Bindings: HttpBindings }>();
  registerBackendRoutes(app, state);
  registerOAuthRoutes(app, state);
  registerAuthorizeRoutes(app, state);
  registerDeviceCodeRoutes(app, state);
  app.all(
    '*',
    recordedRoute(state, 'not_found', async () => jsonResponse(404, { detail: 'Not Found' })),
  );
  app.onError(error => {
    console.error('[codex-emulator] internal error:', error instanceof Error ? error.message : error);
    return jsonResponse(500, { detail: 'Internal emulator error' });
  });

  // overrideGlobalObjects: false keeps the app's own global Request/Response untouched.
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
  const websockets = attachResponsesWebSocket(server, state);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>(resolve => {
      websockets.close();
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
    return closing;
  };

  return {
    url,
    baseURL: `${url}/backend-api/codex`,
    chatgptBaseURL: `${url}/backend-api/`,
    issuer: url,
    tokenURL: `${url}/oauth/token`,
    requests: state.requests,
    counters: state.counters,
    get rateLimits() {
      return currentRateLimits(state);
    },
    get pendingResponses() {
      return state.script.pending;
    },
    login: loginOptions => state.tokens.login(loginOptions),
    authJson: (login, authOptions = {}) => ({
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: {
        id_token: login.idToken,
        access_token: login.accessToken,
        refresh_token: login.refreshToken,
        account_id: login.accountId,
      },
      last_refresh: (authOptions.lastRefresh ?? new Date(now())).toISOString(),
    }),
    enqueue: (...responses) => state.script.enqueue(...responses),
    fault: (response, faultOptions) => state.script.addFault(response, faultOptions),
    holdTokenRequests: (count, holdOptions) => state.tokenHold.hold(count, holdOptions?.timeoutMs ?? 10_000),
    requestsTo: route => state.requests.filter(r => r.route === route),
    setRateLimits: update => {
      state.rateLimits = applyRateLimitUpdate(state.rateLimits, update);
    },
    setUsageWindow: windowOptions => {
      state.usageWindow = windowOptions && new UsageWindow(windowOptions);
    },
    setValidation: rules => {
      state.validation = { ...state.validation, ...rules };
    },
    setModels: models => {
      state.models = models;
    },
    approveDeviceCode: userCode => state.flows.decideDevice(userCode, true),
    denyDeviceCode: userCode => state.flows.decideDevice(userCode, false),
    expireAccessToken: token => state.tokens.expireAccessToken(token),
    expireRefreshToken: token => state.tokens.expireRefreshToken(token),
    invalidateRefreshToken: token => state.tokens.invalidateRefreshToken(token),
    revokeLogin: loginOrToken =>
      state.tokens.revokeFamilyOf(
        typeof loginOrToken === 'string' ? loginOrToken : loginOrToken.refreshToken,
      ),
    dropWebSockets: () => websockets.dropAll(),
    reset: () => {
      state.requests.length = 0;
      Object.assign(state.counters, createCounters());
      state.script.clear();
      state.tokenHold.release();
      state.promptCache.clear();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
