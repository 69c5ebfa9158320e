import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { LoginFlows } from './login-flows';
import type { EmulatorModelInfo } from './models-catalog';
import type { RateLimitState } from './rate-limit-headers';
import type { DecodedBody } from './request-body';
import {
  type EmulatorContext,
  type EmulatorCounters,
  type RecordedRequest,
  recordRequest,
} from './request-log';
import type { ValidationRules } from './request-validation';
import { writeScripted } from './response-writer';
import type { EmulatorRoute, Script } from './scripting';
import type { TokenRequestHold } from './token-request-hold';
import type { EmulatorAccount, TokenAuthority } from './tokens';
import type { UsageWindow } from './usage-window';

/** Everything the routes share: issued tokens, login flows, scripts, logs and settings. */
export interface EmulatorState {
  readonly clientId: string;
  readonly tokens: TokenAuthority;
  readonly flows: LoginFlows;
  readonly script: Script<RecordedRequest>;
  readonly tokenHold: TokenRequestHold;
  readonly requests: RecordedRequest[];
  readonly counters: EmulatorCounters;
  /** The serialized prompt of the last request per `prompt_cache_key`: the next one is reported cached for the prefix they share. */
  readonly promptCache: Map<string, string>;
  readonly now: () => number;
  /** The emulator's root URL (known once listening). */
  readonly url: () => string;
  rateLimits: RateLimitState;
  /** A primary window that fills with requests; when set, it decides the 429s instead of `rateLimits`. */
  usageWindow: UsageWindow | undefined;
  models: EmulatorModelInfo[];
  validation: ValidationRules;
  readonly settings: {
    requireAuth: boolean;
    autoApprove: boolean;
    tokenEndpointDelayMs: number;
    deviceCodeIntervalSeconds: number;
    account: EmulatorAccount;
    isRedirectUriAllowed: (uri: string) => boolean;
    websocketConnectionLimit: number;
    websocketMaxAgeMs: number;
  };
}

export type RouteHandler = (
  c: EmulatorContext,
  record: RecordedRequest,
  body: DecodedBody,
) => Promise<Response>;

/**
 * Wraps a route: records the request (decoded body included), then lets a pending fault for this route
 * answer instead of the handler.
 */
export function recordedRoute(
  state: EmulatorState,
  route: EmulatorRoute,
  handler: RouteHandler,
  faultHeaders: () => Record<string, string> = () => ({}),
) {
  return async (c: EmulatorContext): Promise<Response> => {
    const { record, body } = await recordRequest(c, route, state);
    const fault = state.script.takeFault(route);
    if (fault) {
      await writeScripted(c.env.outgoing, fault, { headers: faultHeaders(), events: () => [] });
      return RESPONSE_ALREADY_SENT;
    }
    return handler(c, record, body);
  };
}

/** The usage windows as reported now: the request-counting window, when set, as the primary one. */
export function currentRateLimits(state: EmulatorState): RateLimitState {
  if (state.usageWindow == null) return state.rateLimits;
  return { ...state.rateLimits, primary: state.usageWindow.report(Math.floor(state.now() / 1000)) };
}

/** A JSON response with extra headers. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** An HTML page response. */
export function htmlResponse(status: number, html: string): Response {
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/** Waits `ms` milliseconds (no-op for 0). */
export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise(resolve => setTimeout(resolve, ms)) : Promise.resolve();
}
