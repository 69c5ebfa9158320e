import type { ScriptedTurn } from './response-events';

/** How a streamed answer is paced and cut short. */
export interface StreamControls {
  /** HTTP status of the stream. Default 200. */
  status?: number;
  /** Extra response headers (added after the rate-limit headers, so they can override them). */
  headers?: Record<string, string>;
  /** Pause in milliseconds before every event (or chunk) after the first. */
  delayMs?: number;
  /** Destroy the connection after this many events (or chunks) were sent: a connection dropped mid-stream. */
  dropAfter?: number;
  /** Stop sending after this many events (or chunks) but keep the connection open: a stalled stream. */
  stallAfter?: number;
}

/** JSON events sent as they are, each framed `event: <type>\ndata: <json>\n\n`. */
export interface ScriptedEvents extends StreamControls {
  type: 'events';
  events: ReadonlyArray<Record<string, unknown>>;
}

/** Exact bytes of an SSE body, written chunk by chunk (see `replayFixture`). */
export interface ScriptedSse extends StreamControls {
  type: 'sse';
  chunks: ReadonlyArray<string | Uint8Array>;
}

/** A plain HTTP answer; a non-string `body` is sent as JSON. */
export interface ScriptedHttp {
  type: 'http';
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
}

/** Close the connection without answering (after `delayMs`). */
export interface ScriptedDrop {
  type: 'drop';
  delayMs?: number;
}

/** Accept the request and never answer (until the client gives up or the emulator closes). */
export interface ScriptedStall {
  type: 'stall';
}

/** Anything the emulator can be told to answer. */
export type ScriptedResponse =
  | ScriptedTurn
  | ScriptedEvents
  | ScriptedSse
  | ScriptedHttp
  | ScriptedDrop
  | ScriptedStall;

/** Routes of the emulator, as used by counters and faults. */
export type EmulatorRoute =
  | 'responses'
  | 'models'
  | 'usage'
  | 'token'
  | 'revoke'
  | 'authorize'
  | 'authorize_decision'
  | 'device_usercode'
  | 'device_token'
  | 'device_page'
  | 'jwks'
  | 'openid_configuration'
  /** Upgrades to the `/responses` WebSocket (its messages count as `responses`). */
  | 'websocket'
  | 'not_found';

/** Where a fault applies and how many times. */
export interface FaultOptions {
  /** Route (or routes) the fault hits. Default `responses`. */
  route?: EmulatorRoute | EmulatorRoute[] | '*';
  /** How many matching requests it hits. Default 1. */
  times?: number;
}

interface Fault {
  response: ScriptedHttp | ScriptedDrop | ScriptedStall;
  routes: Set<EmulatorRoute> | '*';
  remaining: number;
}

/** The queue of scripted `/responses` answers and the faults waiting for their next requests. */
export class Script<Request> {
  private readonly queue: Array<ScriptedResponse | ((request: Request) => ScriptedResponse)> = [];
  private readonly faults: Fault[] = [];

  enqueue(...responses: Array<ScriptedResponse | ((request: Request) => ScriptedResponse)>): void {
    this.queue.push(...responses);
  }

  /** The next scripted answer for a valid `/responses` request, if any. */
  next(request: Request): ScriptedResponse | undefined {
    const next = this.queue.shift();
    return typeof next === 'function' ? next(request) : next;
  }

  get pending(): number {
    return this.queue.length;
  }

  addFault(response: ScriptedHttp | ScriptedDrop | ScriptedStall, options: FaultOptions = {}): void {
    const route = options.route ?? 'responses';
    this.faults.push({
      response,
      routes: route === '*' ? '*' : new Set(Array.isArray(route) ? route : [route]),
      remaining: options.times ?? 1,
    });
  }

  /** Takes one use of the first fault that matches `route`. */
  takeFault(route: EmulatorRoute): Fault['response'] | undefined {
    const index = this.faults.findIndex(f => f.routes === '*' || f.routes.has(route));
    if (index === -1) return undefined;
    const fault = this.faults[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault.response;
  }

  clear(): void {
    this.queue.length = 0;
    this.faults.length = 0;
  }
}

/** An HTTP error answer, e.g. `httpError(500, { detail: 'boom' })`. */
export function httpError(status: number, body: unknown, headers?: Record<string, string>): ScriptedHttp {
  return { type: 'http', status, body, ...(headers ? { headers } : {}) };
}

/** Close the connection without answering, optionally after a pause. */
export function dropConnection(delayMs?: number): ScriptedDrop {
  return { type: 'drop', ...(delayMs === undefined ? {} : { delayMs }) };
}

/** Never answer. */
export function stallConnection(): ScriptedStall {
  return { type: 'stall' };
}
