/** A parsed server-sent event. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Splits an SSE body into events (enough of the SSE grammar for the emulator's and the backend's streams). */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (block.trim() === '') continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    events.push({ ...(event === undefined ? {} : { event }), data: data.join('\n') });
  }
  return events;
}

/** The JSON payloads of an SSE body. */
export function parseSseJson(text: string): Array<Record<string, unknown> & { type: string }> {
  return parseSse(text).map(e => JSON.parse(e.data));
}
