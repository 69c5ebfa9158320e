import { createHash, randomUUID } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Hono } from 'hono';
import { currentRateLimits, type EmulatorState, jsonResponse, recordedRoute } from './emulator-state';
import { clientSupportsModel } from './models-catalog';
import { rateLimitHeaders, usagePayload } from './rate-limit-headers';
import type { DecodedBody } from './request-body';
import { writeScripted } from './response-writer';
import { answerResponses } from './responses-answer';
import type { EmulatorAccount } from './tokens';

type Json = Record<string, unknown>;

type Authentication = { ok: true; account?: Required<EmulatorAccount> } | { ok: false; response: Response };

function bearerToken(headers: Record<string, string>): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

/** Checks the access token the way the backend does (401 bodies as users reported them). */
export function authenticate(
  state: EmulatorState,
  headers: Record<string, string>,
  extra: Record<string, string>,
): Authentication {
  const token = bearerToken(headers);
  const check = token ? state.tokens.checkAccessToken(token) : { status: 'unknown' as const };
  if (check.status === 'valid') return { ok: true, account: check.account };
  if (!state.settings.requireAuth && check.status === 'unknown') return { ok: true };
  state.counters.unauthorized += 1;
  const body =
    check.status === 'expired'
      ? {
          error: {
            message: 'Provided authentication token is expired. Please try signing in again.',
            type: null,
            code: 'token_expired',
            param: null,
          },
          status: 401,
        }
      : check.status === 'invalidated'
        ? {
            error: {
              message: 'Your authentication token has been invalidated. Please try signing in again.',
              type: 'invalid_request_error',
              code: 'token_invalidated',
              param: null,
            },
            status: 401,
          }
        : { detail: 'Unauthorized' };
  return { ok: false, response: jsonResponse(401, body, extra) };
}

/** The backend's 400 for a body it cannot read, or undefined when the body is a JSON value. */
function unreadableBody(body: DecodedBody): string | undefined {
  switch (body.parsed.kind) {
    case 'json':
      return undefined;
    case 'empty':
      return 'Request body is required';
    case 'error':
      return body.parsed.message;
    case 'form':
      return 'Unsupported content type: application/x-www-form-urlencoded. Use application/json';
    case 'other':
      return `Unsupported content type: ${body.parsed.contentType}. Use application/json`;
  }
}

function catalogEtag(state: EmulatorState): string {
  return `W/"${createHash('md5').update(JSON.stringify(state.models)).digest('hex')}"`;
}

/** Headers of every backend answer: usage windows, request id, catalog version. */
export function backendResponseHeaders(state: EmulatorState, planType?: string): Record<string, string> {
  return {
    ...rateLimitHeaders(currentRateLimits(state), {
      nowSeconds: Math.floor(state.now() / 1000),
      ...(planType ? { planType } : {}),
    }),
    'x-request-id': randomUUID(),
    'x-models-etag': catalogEtag(state),
  };
}

/** An opaque per-response token the Codex CLI echoes on the follow-up requests of the same turn. */
export function newTurnState(): string {
  return `ts_${randomUUID()}`;
}

/** `POST /backend-api/codex/responses`, `GET /backend-api/codex/models`, `GET /backend-api/wham/usage`. */
export function registerBackendRoutes(app: Hono<{ Bindings: HttpBindings }>, state: EmulatorState): void {
  const nowSeconds = () => Math.floor(state.now() / 1000);
  const backendHeaders = (planType?: string) => backendResponseHeaders(state, planType);

  app.post(
    '/backend-api/codex/responses',
    recordedRoute(
      state,
      'responses',
      async (c, record, body) => {
        const auth = authenticate(state, record.headers, backendHeaders());
        if (!auth.ok) return auth.response;
        const planType = auth.account?.planType;
        const headers = backendHeaders(planType);

        const unreadable = unreadableBody(body);
        if (unreadable) {
          state.counters.badRequests += 1;
          return jsonResponse(400, { detail: unreadable }, headers);
        }
        const request = (body.parsed.kind === 'json' ? body.parsed.value : undefined) as Json;
        const answer = answerResponses(state, record, request, planType ? { planType } : {});
        if (answer.type === 'rejected')
          return jsonResponse(answer.status, answer.body, { ...headers, ...answer.headers });
        const { scripted } = answer;
        const outcome = await writeScripted(c.env.outgoing, scripted, {
          headers: {
            // Read again: this request counts in the usage it reports.
            ...backendHeaders(planType),
            'openai-model': String(request.model ?? ''),
            'x-codex-turn-state': newTurnState(),
          },
          events: answer.events,
        });
        if (outcome === 'completed' && scripted.type !== 'http') state.counters.completedStreams += 1;
        if (outcome === 'client-closed') state.counters.clientClosedStreams += 1;
        return RESPONSE_ALREADY_SENT;
      },
      () => backendHeaders(),
    ),
  );

  app.get(
    '/backend-api/codex/models',
    recordedRoute(
      state,
      'models',
      async (_c, record) => {
        const auth = authenticate(state, record.headers, backendHeaders());
        if (!auth.ok) return auth.response;
        const etag = catalogEtag(state);
        const headers = { ...backendHeaders(auth.account?.planType), etag };
        if (record.headers['if-none-match'] === etag) return new Response(null, { status: 304, headers });
        const clientVersion = record.query.client_version;
        const models = state.models.filter(m => clientSupportsModel(clientVersion, m.minimal_client_version));
        return jsonResponse(200, { models }, headers);
      },
      () => backendHeaders(),
    ),
  );

  app.get(
    '/backend-api/wham/usage',
    recordedRoute(
      state,
      'usage',
      async (_c, record) => {
        const auth = authenticate(state, record.headers, backendHeaders());
        if (!auth.ok) return auth.response;
        const planType = auth.account?.planType ?? 'plus';
        return jsonResponse(
          200,
          usagePayload(currentRateLimits(state), { nowSeconds: nowSeconds(), planType }),
          backendHeaders(planType),
        );
      },
      () => backendHeaders(),
    ),
  );
}
