import { APICallError, EmptyResponseBodyError, JSONParseError, TypeValidationError } from '@ai-sdk/provider';
import { isAbortError, type ParseResult, secureJsonParse } from '@ai-sdk/provider-utils';
import { createParser } from 'eventsource-parser';
import { type CodexEvent, isCodexEvent } from './event-schemas';
import { isNetworkError } from './network-error';
import type { StreamIdleTimeout } from './stream-idle-timeout';

// secureJsonParse scans every text with two regular expressions for `__proto__` and `constructor` keys,
// which costs more than parsing a token's event. A text holding neither word nor any escape cannot
// have such a key, so JSON.parse alone is as safe for it. One scan for the three costs half of three.
const MAY_HOLD_UNSAFE_KEY = /__proto__|constructor|\\u/;

function parseJson(text: string): unknown {
  return MAY_HOLD_UNSAFE_KEY.test(text) ? secureJsonParse(text) : JSON.parse(text);
}

/** Parses one event (an SSE `data` or a WebSocket message). */
export function parseEvent(text: string): ParseResult<CodexEvent> {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (cause) {
    return { success: false, error: new JSONParseError({ text, cause }), rawValue: undefined };
  }
  return isCodexEvent(value)
    ? { success: true, value, rawValue: value }
    : {
        success: false,
        error: new TypeValidationError({
          value,
          cause: new Error('A Responses event must be an object with a string "type".'),
        }),
        rawValue: value,
      };
}

/** Where the first SSE event of `text` from `start` ends (after its blank line), or its length if none does. */
function eventEnd(text: string, start: number): number {
  for (let i = text.indexOf('\n', start); i !== -1; i = text.indexOf('\n', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 0x0a) return i + 2;
    if (next === 0x0d && text.charCodeAt(i + 2) === 0x0a) return i + 3;
  }
  return text.length;
}

/** The parsed events of a response body, read like a stream, one event per read. */
export type CodexEventReader = Pick<ReadableStreamDefaultReader<ParseResult<CodexEvent>>, 'read' | 'cancel'>;

const END: ReadableStreamReadDoneResult<never> = { done: true, value: undefined };

/**
 * The backend's SSE body as parsed events. What provider-utils' `createEventSourceResponseHandler` does
 * with four chained web streams (body wrapper, `TextDecoderStream`, `EventSourceParserStream`, JSON) is
 * done here in one read of the body: every streamed token passes through it, and each stream hop costs
 * more than parsing the event. The language model maps the events into the one stream it returns.
 *
 * `responseHeaders` are the response's, already extracted: reading them again costs a trip through `Headers`.
 *
 * Every read of the body is bounded by the request's `idleTimeout` (timed here rather than by wrapping
 * the reader, which would add a promise to every token).
 */
export function readCodexEvents({
  response,
  responseHeaders,
  url,
  requestBodyValues,
  idleTimeout,
}: {
  response: Response;
  responseHeaders: Record<string, string>;
  url: string;
  requestBodyValues: unknown;
  idleTimeout: StreamIdleTimeout;
}): CodexEventReader {
  if (response.body == null) throw new EmptyResponseBodyError({});

  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  // Events parsed and not handed out yet: one at most, unless lines end in bare carriage returns (the
  // parser is then fed a whole chunk at once).
  const parsed: Array<ParseResult<CodexEvent>> = [];
  const parser = createParser({
    onEvent({ data }) {
      if (data !== '[DONE]') parsed.push(parseEvent(data));
    },
  });

  // Cancelling ends a read that waits too long; it then fails with the timeout error.
  const cancelBody = (reason: unknown) => {
    reader.cancel(reason).catch(() => {});
  };
  // The last chunk as text, and where its part not fed to the parser yet starts: events are parsed one
  // at a time, as they are read, so that a chunk of many events (a whole answer, when the reader lags)
  // waits as text, not as parsed events.
  let unfed = '';
  let unfedAt = 0;
  const feedNextEvent = () => {
    while (parsed.length === 0 && unfedAt < unfed.length) {
      const end = eventEnd(unfed, unfedAt);
      parser.feed(unfed.slice(unfedAt, end));
      unfedAt = end;
    }
  };
  const takeEvent = (): ReadableStreamReadResult<ParseResult<CodexEvent>> => ({
    done: false,
    value: parsed.shift()!,
  });
  // The read of the next chunk, started while a chunk of several events is being fed: a fetch may hold
  // the last chunk it took from the socket until the next one is read (undici does), which would keep a
  // second copy of the unread bytes. Its failure waits for the read that needs it.
  let nextChunk: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  // One chunk of bytes may hold many events, or only part of one: read until an event is complete.
  const readChunk = (): Promise<ReadableStreamReadResult<ParseResult<CodexEvent>>> => {
    idleTimeout.startWaiting(cancelBody);
    const chunk = nextChunk ?? reader.read();
    nextChunk = undefined;
    return chunk.then(onChunk, onReadError);
  };
  const onChunk = (result: ReadableStreamReadResult<Uint8Array>) => {
    idleTimeout.endWaiting();
    if (result.done) {
      idleTimeout.stop();
      return END;
    }
    unfed = decoder.decode(result.value, { stream: true });
    unfedAt = 0;
    feedNextEvent();
    if (unfedAt < unfed.length) {
      nextChunk = reader.read();
      nextChunk.catch(() => {});
    }
    return parsed.length > 0 ? takeEvent() : readChunk();
  };
  const onReadError = (error: unknown): never => {
    idleTimeout.endWaiting();
    idleTimeout.stop();
    if (isAbortError(error)) throw error;
    const broken = isNetworkError(error);
    throw new APICallError({
      // Says what happened: a reset mid-stream is the common case, and a retry may overcome it.
      message: broken
        ? 'The connection to the Codex backend broke in the middle of the response stream; the request can be retried.'
        : 'Failed to process successful response',
      cause: error,
      statusCode: response.status,
      url,
      responseHeaders,
      requestBodyValues,
      isRetryable: broken,
    });
  };

  return {
    read: () => {
      feedNextEvent();
      return parsed.length > 0 ? Promise.resolve(takeEvent()) : readChunk();
    },
    cancel: reason => {
      unfed = '';
      idleTimeout.stop();
      return reader.cancel(reason);
    },
  };
}
