import type { WebSocket } from 'ws';
import type { WriteOutcome } from './response-writer';
import type { ScriptedResponse, StreamControls } from './scripting';

type Json = Record<string, unknown>;

const closedPromises = new WeakMap<WebSocket, Promise<void>>();

/** Resolves when the connection closes (one listener per socket, however often asked). */
function closed(socket: WebSocket): Promise<void> {
  if (socket.readyState >= socket.CLOSING) return Promise.resolve();
  let promise = closedPromises.get(socket);
  if (!promise) {
    promise = new Promise(resolve => socket.once('close', () => resolve()));
    closedPromises.set(socket, promise);
  }
  return promise;
}

const isOpen = (socket: WebSocket) => socket.readyState === socket.OPEN;

/** Waits `ms`, or less if the connection closes first; says whether it is still open. */
async function pause(socket: WebSocket, ms: number): Promise<boolean> {
  if (ms > 0) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed(socket), new Promise<void>(resolve => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }
  return isOpen(socket);
}

/** Sends one message and waits until it is handed to the socket, so a drop that follows cuts after it. */
function send(socket: WebSocket, message: string): Promise<void> {
  return Promise.race([new Promise<void>(resolve => socket.send(message, () => resolve())), closed(socket)]);
}

/**
 * The backend's error message for what would be an HTTP error answer: `{type: "error", status, error,
 * headers}`, as in fixtures/codex/ws_error_event_usage_limit.json.
 */
export function errorMessage(status: number, body: unknown, headers: Record<string, string> = {}): Json {
  const error =
    typeof body === 'object' && body !== null && 'error' in body
      ? (body as { error: unknown }).error
      : {
          type: 'invalid_request_error',
          message:
            typeof body === 'object' && body !== null && 'detail' in body
              ? String((body as { detail: unknown }).detail)
              : String(body ?? ''),
        };
  return { type: 'error', status, error, ...(Object.keys(headers).length > 0 ? { headers } : {}) };
}

/** The `data:` payloads of SSE chunks, as the messages the same events make over a WebSocket. */
function dataOfSse(chunks: ReadonlyArray<string | Uint8Array>): string[] {
  const decoder = new TextDecoder();
  const text = chunks.map(chunk => (typeof chunk === 'string' ? chunk : decoder.decode(chunk))).join('');
  return text
    .split(/\r?\n\r?\n/)
    .map(block =>
      block
        .split(/\r?\n/)
        .filter(line => line.startsWith('data:'))
        .map(line => line.slice(5).trimStart())
        .join('\n'),
    )
    .filter(data => data !== '' && data !== '[DONE]');
}

/**
 * Sends a scripted answer over a WebSocket: each event as one JSON text message, paced and cut as the
 * script says (`dropAfter` terminates the connection, `stallAfter` stops sending but keeps it open). An
 * HTTP error answer becomes an error message, a drop terminates the connection.
 */
export async function sendScripted(
  socket: WebSocket,
  response: ScriptedResponse,
  options: { events: () => ReadonlyArray<Json>; onEvent?: (event: Json) => void },
): Promise<WriteOutcome> {
  switch (response.type) {
    case 'stall':
      await closed(socket);
      return 'stalled';
    case 'drop':
      if (!(await pause(socket, response.delayMs ?? 0))) return 'client-closed';
      socket.terminate();
      return 'dropped';
    case 'http':
      if (!(await pause(socket, response.delayMs ?? 0))) return 'client-closed';
      await send(socket, JSON.stringify(errorMessage(response.status, response.body, response.headers)));
      return 'completed';
    case 'sse':
      return sendMessages(socket, dataOfSse(response.chunks).map(parseMessage), response, options.onEvent);
    case 'events':
    case 'turn': {
      const events = response.type === 'events' ? response.events : options.events();
      return sendMessages(
        socket,
        events.map(event => ({ text: JSON.stringify(event), event })),
        response,
        options.onEvent,
      );
    }
  }
}

interface Message {
  text: string;
  /** The event the text encodes, when it is JSON. */
  event?: Json;
}

function parseMessage(text: string): Message {
  try {
    return { text, event: JSON.parse(text) as Json };
  } catch {
    return { text };
  }
}

async function sendMessages(
  socket: WebSocket,
  messages: readonly Message[],
  controls: StreamControls,
  onEvent: ((event: Json) => void) | undefined,
): Promise<WriteOutcome> {
  for (const [index, message] of messages.entries()) {
    if (index === controls.dropAfter) {
      socket.terminate();
      return 'dropped';
    }
    if (index === controls.stallAfter) {
      await closed(socket);
      return 'stalled';
    }
    if (index > 0 && !(await pause(socket, controls.delayMs ?? 0))) return 'client-closed';
    if (!isOpen(socket)) return 'client-closed';
    await send(socket, message.text);
    if (message.event && onEvent) onEvent(message.event);
  }
  if (controls.dropAfter !== undefined && controls.dropAfter >= messages.length) {
    socket.terminate();
    return 'dropped';
  }
  if (controls.stallAfter !== undefined && controls.stallAfter >= messages.length) {
    await closed(socket);
    return 'stalled';
  }
  return isOpen(socket) ? 'completed' : 'client-closed';
}
