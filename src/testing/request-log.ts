import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { type DecodedBody, decodeBody } from './request-body';
import type { EmulatorRoute } from './scripting';

/** A request the emulator received, with its body decoded (zstd, gzip, …) and parsed. */
export interface RecordedRequest {
  route: EmulatorRoute;
  /** How it arrived: an HTTP request, or a message on a WebSocket (method `WS`). */
  transport: 'http' | 'websocket';
  /** The HTTP method, or `WS` for a WebSocket message. */
  method: string;
  /** Path without the query, e.g. `/backend-api/codex/responses`. */
  path: string;
  /** Query parameters (last value wins). */
  query: Record<string, string>;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  /** The `Content-Encoding` the body arrived with, if any. */
  contentEncoding?: string;
  /** The decoded body as UTF-8 text. */
  bodyText: string;
  /** The parsed body: a JSON value, the fields of a form, or `undefined` when empty or unparsable. */
  body: unknown;
  /** Why the body could not be decoded or parsed, when it could not. */
  bodyError?: string;
  /** For a WebSocket message: its connection, and whether it continued a previous response or prewarmed. */
  websocket?: {
    /** Number of the connection, counting from 1 since the emulator started. */
    connection: number;
    /** It named a `previous_response_id` and sent only the new input items. */
    incremental: boolean;
    /** False for a prewarm (`generate: false`). */
    generate: boolean;
  };
  receivedAt: Date;
}

/** What the emulator counted since it started. */
export interface EmulatorCounters {
  /** Requests per route (`responses`, `models`, `token`, …), every answer included. */
  requests: Record<EmulatorRoute, number>;
  /** `POST /oauth/token` calls, any grant type, any outcome. */
  tokenRequests: number;
  /** Successful `refresh_token` grants. */
  refreshes: number;
  /** Rejected `refresh_token` grants, whatever the reason. */
  refreshFailures: number;
  /** `refresh_token_reused` answers (each also revoked a token family, unless within `refreshReuseGraceMs`). */
  reuseRejections: number;
  /** Successful `authorization_code` grants (browser and device-code logins). */
  codeExchanges: number;
  /** 401 answers of the backend routes. */
  unauthorized: number;
  /** 429 `usage_limit_reached` answers. */
  usageLimitRejections: number;
  /** 400 answers of the backend routes (bad body or a validation rule). */
  badRequests: number;
  /** `/responses` streams that ran to their end (not dropped, stalled or cut by the client). */
  completedStreams: number;
  /** `/responses` answers the client closed before they ended (e.g. an aborted request). */
  clientClosedStreams: number;
  /** WebSocket connections accepted on `/responses`. */
  websocketConnections: number;
  /** Messages received on those connections. */
  websocketMessages: number;
  /** Bytes of those messages (payloads, as sent). */
  websocketBytesReceived: number;
}

export function createCounters(): EmulatorCounters {
  const routes: EmulatorRoute[] = [
    'responses',
    'models',
    'usage',
    'token',
    'revoke',
    'authorize',
    'authorize_decision',
    'device_usercode',
    'device_token',
    'device_page',
    'jwks',
    'openid_configuration',
    'websocket',
    'not_found',
  ];
  return {
    requests: Object.fromEntries(routes.map(route => [route, 0])) as Record<EmulatorRoute, number>,
    tokenRequests: 0,
    refreshes: 0,
    refreshFailures: 0,
    reuseRejections: 0,
    codeExchanges: 0,
    unauthorized: 0,
    usageLimitRejections: 0,
    badRequests: 0,
    completedStreams: 0,
    clientClosedStreams: 0,
    websocketConnections: 0,
    websocketMessages: 0,
    websocketBytesReceived: 0,
  };
}

export type EmulatorContext = Context<{ Bindings: HttpBindings }>;

/** Reads, decodes and records the request; returns the record and the decoded body. */
export async function recordRequest(
  c: EmulatorContext,
  route: EmulatorRoute,
  log: { requests: RecordedRequest[]; counters: EmulatorCounters },
): Promise<{ record: RecordedRequest; body: DecodedBody }> {
  const url = new URL(c.req.url);
  const headers: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const raw = c.req.method === 'GET' || c.req.method === 'HEAD' ? new Uint8Array() : await readRaw(c);
  const body = await decodeBody(raw, {
    contentType: headers['content-type'],
    contentEncoding: headers['content-encoding'],
  });
  const record: RecordedRequest = {
    route,
    transport: 'http',
    method: c.req.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    ...(headers['content-encoding'] ? { contentEncoding: headers['content-encoding'] } : {}),
    bodyText: new TextDecoder().decode(body.bytes),
    body: body.parsed.kind === 'json' || body.parsed.kind === 'form' ? body.parsed.value : undefined,
    ...(body.parsed.kind === 'error' ? { bodyError: body.parsed.message } : {}),
    receivedAt: new Date(),
  };
  log.requests.push(record);
  log.counters.requests[route] += 1;
  return { record, body };
}

async function readRaw(c: EmulatorContext): Promise<Uint8Array> {
  try {
    return new Uint8Array(await c.req.arrayBuffer());
  } catch {
    // A client that went away mid-body leaves nothing worth parsing.
    return new Uint8Array();
  }
}
