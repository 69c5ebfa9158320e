import type { ServerResponse } from 'node:http';
import type { ScriptedResponse, StreamControls } from './scripting';

/** How a scripted answer ended on the wire. */
export type WriteOutcome = 'completed' | 'dropped' | 'stalled' | 'client-closed';

/** Frames one event the way the backend does: `event: <type>\ndata: <json>\n\n`. */
export function sseFrame(event: Record<string, unknown>): string {
  return `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
}

const closedPromises = new WeakMap<ServerResponse, Promise<void>>();

/** Resolves when the connection of `res` closes (one listener per response, however often asked). */
function closed(res: ServerResponse): Promise<void> {
  if (res.destroyed || res.writableFinished) return Promise.resolve();
  let promise = closedPromises.get(res);
  if (!promise) {
    promise = new Promise(resolve => res.once('close', () => resolve()));
    closedPromises.set(res, promise);
  }
  return promise;
}

/** Waits `ms`, or less if the connection closes first; says whether it is still open. */
async function pause(res: ServerResponse, ms: number): Promise<boolean> {
  if (ms > 0) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed(res), new Promise<void>(resolve => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }
  return !res.destroyed;
}

function drop(res: ServerResponse): void {
  res.socket?.destroy();
  res.destroy();
}

/**
 * Writes a scripted answer straight onto Node's response, so the emulator can pace it, cut the
 * connection, or leave it hanging — things a web-standard `Response` cannot express.
 */
export async function writeScripted(
  res: ServerResponse,
  response: ScriptedResponse,
  options: { headers: Record<string, string>; events: () => ReadonlyArray<Record<string, unknown>> },
): Promise<WriteOutcome> {
  switch (response.type) {
    case 'stall':
      await closed(res);
      return 'stalled';
    case 'drop':
      if (!(await pause(res, response.delayMs ?? 0))) return 'client-closed';
      drop(res);
      return 'dropped';
    case 'http': {
      if (!(await pause(res, response.delayMs ?? 0))) return 'client-closed';
      const isText = typeof response.body === 'string';
      const payload =
        response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body);
      res.writeHead(response.status, {
        'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
        ...options.headers,
        ...response.headers,
      });
      res.end(payload);
      return 'completed';
    }
    case 'sse':
      return writeStream(res, response.chunks, response, options.headers);
    case 'events':
    case 'turn': {
      const events = response.type === 'events' ? response.events : options.events();
      return writeStream(res, events.map(sseFrame), response, options.headers);
    }
  }
}

async function writeStream(
  res: ServerResponse,
  chunks: ReadonlyArray<string | Uint8Array>,
  controls: StreamControls,
  headers: Record<string, string>,
): Promise<WriteOutcome> {
  res.writeHead(controls.status ?? 200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...headers,
    ...controls.headers,
  });
  res.flushHeaders();
  for (const [index, chunk] of chunks.entries()) {
    if (index === controls.dropAfter) {
      drop(res);
      return 'dropped';
    }
    if (index === controls.stallAfter) {
      await closed(res);
      return 'stalled';
    }
    if (index > 0 && !(await pause(res, controls.delayMs ?? 0))) return 'client-closed';
    if (res.destroyed) return 'client-closed';
    // Wait until the chunk is handed to the socket, so a drop that follows cuts after it, not before.
    await Promise.race([new Promise(resolve => res.write(chunk, resolve)), closed(res)]);
  }
  if (controls.dropAfter !== undefined && controls.dropAfter >= chunks.length) {
    drop(res);
    return 'dropped';
  }
  if (controls.stallAfter !== undefined && controls.stallAfter >= chunks.length) {
    await closed(res);
    return 'stalled';
  }
  res.end();
  return 'completed';
}
