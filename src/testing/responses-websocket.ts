import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { authenticate, backendResponseHeaders, newTurnState } from './backend-routes';
import { currentRateLimits, type EmulatorState } from './emulator-state';
import { exhaustedWindow, type RateLimitState, type RateLimitWindow } from './rate-limit-headers';
import type { RecordedRequest } from './request-log';
import { itemId } from './response-events';
import { answerResponses } from './responses-answer';
import type { ScriptedResponse } from './scripting';
import type { EmulatorAccount } from './tokens';
import { errorMessage, sendScripted } from './websocket-writer';

type Json = Record<string, unknown>;

const RESPONSES_PATH = '/backend-api/codex/responses';

/** The beta header value the Codex CLI opens its WebSocket with. */
export const RESPONSES_WEBSOCKET_BETA = 'responses_websockets=2026-02-06';

/** One open WebSocket and what it remembers of its conversation. */
interface Connection {
  readonly id: number;
  readonly account: string;
  readonly openedAt: number;
  readonly headers: Record<string, string>;
  readonly planType?: string;
  /** The last response: `previous_response_id` may name only it (nothing is stored with `store: false`). */
  last?: { id: string; input: unknown[]; output: unknown[] };
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function record(
  state: EmulatorState,
  fields: Pick<RecordedRequest, 'route' | 'method' | 'path' | 'query' | 'headers'> & {
    text: string;
    body?: unknown;
    websocket?: RecordedRequest['websocket'];
  },
): RecordedRequest {
  const { text, body, websocket, ...rest } = fields;
  const entry: RecordedRequest = {
    ...rest,
    transport: 'websocket',
    bodyText: text,
    body,
    ...(websocket ? { websocket } : {}),
    receivedAt: new Date(),
  };
  state.requests.push(entry);
  state.counters.requests[fields.route] += 1;
  return entry;
}

/** Answers an upgrade request with a plain HTTP response and closes the socket. */
function refuseUpgrade(socket: Duplex, status: number, body: string, headers: Record<string, string>): void {
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'connection: close',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries({ 'content-type': 'application/json', ...headers }).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** The `codex.rate_limits` message the backend sends before each response (see ws_codex_rate_limits_event.json). */
function rateLimitsMessage(limits: RateLimitState, planType: string, nowSeconds: number): Json {
  const window = (w: RateLimitWindow) => ({
    used_percent: w.usedPercent,
    window_minutes: w.windowMinutes,
    reset_at: w.resetAt ?? nowSeconds + w.windowMinutes * 60,
  });
  const reached = exhaustedWindow(limits) !== undefined;
  return {
    type: 'codex.rate_limits',
    plan_type: planType,
    rate_limits: {
      allowed: !reached,
      limit_reached: reached,
      primary: window(limits.primary),
      secondary: window(limits.secondary),
    },
    code_review_rate_limits: null,
    credits: {
      has_credits: limits.credits.hasCredits,
      unlimited: limits.credits.unlimited,
      balance: limits.credits.balance,
    },
    promo: limits.promoMessage ? { message: limits.promoMessage } : null,
  };
}

function connectionLimitMessage(reason: string): Json {
  return errorMessage(400, {
    error: {
      type: 'invalid_request_error',
      code: 'websocket_connection_limit_reached',
      message: `Responses websocket connection limit reached (${reason}). Create a new websocket connection to continue.`,
    },
  });
}

function previousResponseNotFound(id: string): Json {
  return errorMessage(400, {
    error: {
      type: 'invalid_request_error',
      code: 'previous_response_not_found',
      message: `Previous response with id '${id}' not found.`,
      param: 'previous_response_id',
    },
  });
}

/**
 * The backend's WebSocket at `GET /backend-api/codex/responses`: the same authentication as `POST`, the
 * `OpenAI-Beta: responses_websockets=2026-02-06` header, and `response.create` messages answered with the
 * same events the SSE stream carries, one JSON message each. A message may name the connection's last
 * response in `previous_response_id` and send only the items that are new since; `generate: false`
 * prewarms (a response id, no output). Every message is recorded like a `POST` (route `responses`,
 * `transport: 'websocket'`); the upgrade itself under route `websocket`.
 */
export function attachResponsesWebSocket(
  server: Server,
  state: EmulatorState,
): { close(): void; dropAll(): number } {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const open = new Map<string, number>();
  let nextId = 1;

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void upgrade(request, socket, head).catch(error => {
      console.error(
        '[codex-emulator] websocket upgrade failed:',
        error instanceof Error ? error.message : error,
      );
      socket.destroy();
    });
  });

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://emulator');
    const headers = headersOf(request);
    const upgradeRecord = record(state, {
      route: 'websocket',
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      text: '',
    });
    if (url.pathname !== RESPONSES_PATH) {
      return refuseUpgrade(socket, 404, JSON.stringify({ detail: 'Not Found' }), {});
    }
    const fault = state.script.takeFault('websocket');
    if (fault?.type === 'drop') return void socket.destroy();
    if (fault?.type === 'stall') return;
    if (fault?.type === 'http') {
      const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? '');
      return refuseUpgrade(socket, fault.status, body, {
        ...backendResponseHeaders(state),
        ...fault.headers,
      });
    }
    const auth = authenticate(state, headers, backendResponseHeaders(state));
    if (!auth.ok) {
      const responseHeaders: Record<string, string> = {};
      auth.response.headers.forEach((value, name) => {
        responseHeaders[name] = value;
      });
      return refuseUpgrade(socket, auth.response.status, await auth.response.text(), responseHeaders);
    }
    if (!(headers['openai-beta'] ?? '').split(',').some(v => v.trim() === RESPONSES_WEBSOCKET_BETA)) {
      state.counters.badRequests += 1;
      const detail = `WebSocket connections to /responses need the header OpenAI-Beta: ${RESPONSES_WEBSOCKET_BETA}`;
      return refuseUpgrade(socket, 400, JSON.stringify({ detail }), backendResponseHeaders(state));
    }
    const account: Required<EmulatorAccount> | undefined = auth.account;
    const planType = account?.planType;
    const connection: Connection = {
      id: nextId++,
      account: account?.accountId ?? 'anonymous',
      openedAt: state.now(),
      headers: upgradeRecord.headers,
      ...(planType ? { planType } : {}),
    };
    const upgradeHeaders = backendResponseHeaders(state, planType);
    const addHeaders = (lines: string[]) => {
      for (const [name, value] of Object.entries(upgradeHeaders)) lines.push(`${name}: ${value}`);
    };
    wss.once('headers', addHeaders);
    wss.handleUpgrade(request, socket, head, ws => {
      wss.off('headers', addHeaders);
      serve(ws, connection, url);
    });
  }

  function serve(ws: WebSocket, connection: Connection, url: URL): void {
    state.counters.websocketConnections += 1;
    open.set(connection.account, (open.get(connection.account) ?? 0) + 1);
    const overLimit = (open.get(connection.account) ?? 0) > state.settings.websocketConnectionLimit;
    let queue = Promise.resolve();
    ws.on('message', (data: RawData) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      state.counters.websocketMessages += 1;
      state.counters.websocketBytesReceived += bytes.length;
      // One request at a time per connection, in the order they came.
      queue = queue
        .then(() => handleMessage(ws, connection, url, bytes.toString('utf8'), overLimit))
        .catch(error => {
          console.error(
            '[codex-emulator] websocket message failed:',
            error instanceof Error ? error.message : error,
          );
          ws.terminate();
        });
    });
    ws.on('close', () => {
      open.set(connection.account, (open.get(connection.account) ?? 1) - 1);
    });
  }

  async function handleMessage(
    ws: WebSocket,
    connection: Connection,
    url: URL,
    text: string,
    overLimit: boolean,
  ): Promise<void> {
    const reply = (message: Json) =>
      new Promise<void>(resolve => ws.send(JSON.stringify(message), () => resolve()));
    let message: Json | undefined;
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) message = value as Json;
    } catch {}
    const previousId =
      typeof message?.previous_response_id === 'string' ? message.previous_response_id : undefined;
    const generate = message?.generate !== false;
    const entry = record(state, {
      route: 'responses',
      method: 'WS',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: connection.headers,
      text,
      body: message,
      websocket: { connection: connection.id, incremental: previousId !== undefined, generate },
    });
    const fault = state.script.takeFault('responses');
    if (fault) {
      await sendScripted(ws, fault, { events: () => [] });
      return;
    }
    // The token is checked with each request, as over HTTP: one that expired or was revoked since the
    // upgrade is refused (an assumption: the backend's behaviour here was not observed).
    const auth = authenticate(state, connection.headers, {});
    if (!auth.ok) return reply(errorMessage(auth.response.status, await auth.response.json()));
    if (message?.type !== 'response.create') {
      state.counters.badRequests += 1;
      return reply(errorMessage(400, { detail: 'Expected a JSON message of type "response.create"' }));
    }
    const age = state.now() - connection.openedAt;
    if (overLimit || age >= state.settings.websocketMaxAgeMs) {
      state.counters.badRequests += 1;
      await reply(
        connectionLimitMessage(
          overLimit
            ? `${state.settings.websocketConnectionLimit} open connections`
            : `${Math.round(state.settings.websocketMaxAgeMs / 60_000)} minutes`,
        ),
      );
      return;
    }

    let history: unknown[] = [];
    if (previousId !== undefined) {
      if (connection.last?.id !== previousId) {
        state.counters.badRequests += 1;
        return reply(previousResponseNotFound(previousId));
      }
      history = [...connection.last.input, ...connection.last.output];
    }
    connection.last = undefined;
    const { type: _type, previous_response_id: _previous, generate: _generate, ...fields } = message;
    const request: Json = {
      ...fields,
      input: Array.isArray(fields.input) ? [...history, ...fields.input] : fields.input,
    };

    const nowSeconds = Math.floor(state.now() / 1000);
    if (!generate) {
      const id = itemId('resp');
      const response = {
        id,
        object: 'response',
        created_at: nowSeconds,
        status: 'completed',
        model: request.model,
        output: [],
      };
      await reply({
        type: 'response.created',
        sequence_number: 0,
        response: { ...response, status: 'in_progress' },
      });
      await reply({ type: 'response.completed', sequence_number: 1, response });
      connection.last = { id, input: Array.isArray(request.input) ? request.input : [], output: [] };
      return;
    }

    const answer = answerResponses(state, entry, request, {
      ...(connection.planType ? { planType: connection.planType } : {}),
      // Over a WebSocket, streaming is implied.
      rules: { stream: false },
    });
    if (answer.type === 'rejected') {
      const headers =
        answer.status === 429
          ? { ...backendResponseHeaders(state, connection.planType), ...answer.headers }
          : {};
      return reply(errorMessage(answer.status, answer.body, headers));
    }
    await reply(rateLimitsMessage(currentRateLimits(state), connection.planType ?? 'plus', nowSeconds));
    const { scripted } = answer;
    const placesOwnMetadata =
      scripted.type === 'events' && scripted.events.some(event => event.type === 'response.metadata');
    if (
      (scripted.type === 'turn' || scripted.type === 'events' || scripted.type === 'sse') &&
      !placesOwnMetadata
    ) {
      // Where an SSE answer carries the `x-codex-turn-state` header; a script's own value wins, as there,
      // and scripted events with their own `response.metadata` place it themselves.
      const turnState = scripted.headers?.['x-codex-turn-state'] ?? newTurnState();
      await reply({ type: 'response.metadata', headers: { 'x-codex-turn-state': turnState } });
    }
    let responseId: string | undefined;
    const output: unknown[] = [];
    const outcome = await sendScripted(ws, scripted as ScriptedResponse, {
      events: answer.events,
      onEvent: event => {
        const response = event.response as Json | undefined;
        if (event.type === 'response.created' && typeof response?.id === 'string') responseId = response.id;
        if (event.type === 'response.output_item.done' && event.item != null) output.push(event.item);
      },
    });
    if (outcome === 'completed' && scripted.type !== 'http') {
      state.counters.completedStreams += 1;
      if (responseId !== undefined) {
        connection.last = {
          id: responseId,
          input: Array.isArray(request.input) ? request.input : [],
          output,
        };
      }
    }
    if (outcome === 'client-closed') state.counters.clientClosedStreams += 1;
  }

  return {
    dropAll: () => {
      for (const client of wss.clients) client.terminate();
      return wss.clients.size;
    },
    close: () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
