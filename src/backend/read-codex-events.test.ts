import { APICallError, JSONParseError, TypeValidationError } from '@ai-sdk/provider';
import type { ParseResult } from '@ai-sdk/provider-utils';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../../test/support/event-reader';
import type { CodexEvent } from './event-schemas';
import { readCodexEvents } from './read-codex-events';
import { StreamIdleTimeout } from './stream-idle-timeout';

const url = 'https://backend.example/responses';

/** An idle timeout these tests never reach. */
const patientTimeout = () => new StreamIdleTimeout({ timeoutMs: 60_000, url });
const encoder = new TextEncoder();

/** A response whose body delivers `chunks` as they are, then ends (or fails with `failWith`). */
function sseResponse(chunks: string[], failWith?: unknown): Response {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(encoder.encode(chunks[next++]!));
      else if (failWith !== undefined) controller.error(failWith);
      else controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req_1' } });
}

/** The events of `response`, as a reader. */
async function handle(response: Response, idleTimeout = patientTimeout()) {
  return {
    value: readCodexEvents({
      response,
      responseHeaders: {},
      url,
      requestBodyValues: { model: 'gpt-5.5' },
      idleTimeout,
    }),
  };
}

async function parse(response: Response) {
  const { value } = await handle(response);
  return { events: await readEvents(value) };
}

const values = (events: Array<ParseResult<CodexEvent>>) =>
  events.map(event => (event.success ? event.value : event.error));

describe('readCodexEvents', () => {
  it('parses events however the bytes are split, skipping [DONE]', async () => {
    const { events } = await parse(
      sseResponse([
        'event: response.created\ndata: {"type":"response.created","response":{"id":"r"}}\n\ndata: {"ty',
        'pe":"response.output_text.delta","delta":"Hé',
        'llo"}\n',
        '\ndata: [DONE]\n\n',
      ]),
    );
    expect(values(events)).toEqual([
      { type: 'response.created', response: { id: 'r' } },
      { type: 'response.output_text.delta', delta: 'Héllo' },
    ]);
    expect(events[1]).toMatchObject({ success: true, rawValue: { delta: 'Héllo' } });
  });

  it('gives one event per read, whatever the line endings', async () => {
    const { events } = await parse(
      sseResponse([
        'data: {"type":"a"}\n\ndata: {"type":"b"}\r\n\r\ndata: {"ty',
        'pe":"c"}\n\n',
        ': keep-alive\n\n',
        'data: {"type":"d"}\r\rdata: {"type":"e"}\r\r',
        'data: {"type":"f"}\n\n',
      ]),
    );
    // Bare carriage returns are rare enough not to be split on: their chunk is parsed at once (and the
    // parser sees the end of "e" only when the next chunk shows no line feed follows).
    expect(values(events)).toEqual([
      { type: 'a' },
      { type: 'b' },
      { type: 'c' },
      { type: 'd' },
      { type: 'e' },
      { type: 'f' },
    ]);
  });

  it('reads the next chunk while a chunk of several events is handed out, and only then', async () => {
    const chunks = [
      'data: {"type":"a"}\n\n',
      'data: {"type":"b"}\n\ndata: {"type":"c"}\n\n',
      'data: {"type":"d"}\n\n',
    ];
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulls < chunks.length) controller.enqueue(encoder.encode(chunks[pulls]!));
          else controller.close();
          pulls++;
        },
      },
      { highWaterMark: 0 },
    );
    const { value } = await handle(new Response(body));
    const next = async () => {
      const result = await value.read();
      return { events: result.done ? undefined : values([result.value]), pulls };
    };
    expect(await next()).toEqual({ events: [{ type: 'a' }], pulls: 1 });
    // "c" waits in the chunk "b" came in: the fetch is asked for the next chunk meanwhile.
    expect(await next()).toEqual({ events: [{ type: 'b' }], pulls: 3 });
    expect(await next()).toEqual({ events: [{ type: 'c' }], pulls: 3 });
    expect(await next()).toEqual({ events: [{ type: 'd' }], pulls: 3 });
    expect(await next()).toEqual({ events: undefined, pulls: 4 });
  });

  it('keeps a multi-byte character split across chunks', async () => {
    const bytes = encoder.encode('data: {"type":"x","delta":"€"}\n\n');
    const split = bytes.indexOf(0xe2) + 1;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(bytes.subarray(0, split));
        else if (sent === 1) controller.enqueue(bytes.subarray(split));
        else controller.close();
        sent++;
      },
    });
    const { events } = await parse(new Response(body));
    expect(values(events)).toEqual([{ type: 'x', delta: '€' }]);
  });

  it('reports malformed JSON and events without a type as failed parse results, and goes on', async () => {
    const { events } = await parse(
      sseResponse(['data: {not json\n\n', 'data: [1,2]\n\n', 'data: {"type":"response.completed"}\n\n']),
    );
    expect(events.map(event => event.success)).toEqual([false, false, true]);
    expect(JSONParseError.isInstance((events[0] as { error: unknown }).error)).toBe(true);
    expect(TypeValidationError.isInstance((events[1] as { error: unknown }).error)).toBe(true);
    expect(events[1]!.rawValue).toEqual([1, 2]);
  });

  it('rejects a prototype-polluting event like provider-utils does', async () => {
    const { events } = await parse(sseResponse(['data: {"type":"x","__proto__":{"polluted":true}}\n\n']));
    expect(events[0]!.success).toBe(false);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('rejects the same key written with unicode escapes, and keeps escaped text that is harmless', async () => {
    const { events } = await parse(
      sseResponse([
        'data: {"type":"x","\\u005f_proto__":{"polluted":true}}\n\n',
        'data: {"type":"x","constructor":{"prototype":{"polluted":true}}}\n\n',
        'data: {"type":"x","delta":"\\u00e9t\\u00e9"}\n\n',
      ]),
    );
    expect(events.map(event => event.success)).toEqual([false, false, true]);
    expect(values(events)[2]).toEqual({ type: 'x', delta: 'été' });
  });

  it('fails a connection reset mid-stream with a retryable APICallError, after the events before it', async () => {
    const reset = Object.assign(new TypeError('terminated'), {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    const { value } = await handle(sseResponse(['data: {"type":"a"}\n\n'], reset));
    expect(await value.read()).toMatchObject({
      done: false,
      value: { success: true, value: { type: 'a' } },
    });
    const error = await value.read().catch((caught: unknown) => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ isRetryable: true, url, statusCode: 200, cause: reset });
    expect((error as Error).message).toMatch(/connection to the Codex backend broke/);
  });

  it('passes an abort through unchanged and does not retry other read errors', async () => {
    const abort = new DOMException('aborted', 'AbortError');
    const aborted = await parse(sseResponse([], abort)).catch((caught: unknown) => caught);
    expect(aborted).toBe(abort);
    const other = await parse(sseResponse([], new Error('decoder broke'))).catch((caught: unknown) => caught);
    expect(other).toMatchObject({ isRetryable: false, message: 'Failed to process successful response' });
  });

  it('cancels the response body when the events are cancelled', async () => {
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode('data: {"type":"a"}\n\n'));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const { value } = await handle(new Response(body));
    await value.read();
    await value.cancel('enough');
    expect(cancelled).toBe('enough');
  });
});

describe('readCodexEvents with an idle timeout', () => {
  it('times only the reads that wait for the body: a reader slower than the timeout is not failed', async () => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) controller.enqueue(encoder.encode('data: {"type":"a"}\n\ndata: {"type":"b"}\n\n'));
        sent = true;
      },
    });
    const { value } = await handle(new Response(body), new StreamIdleTimeout({ timeoutMs: 30, url }));
    expect(await value.read()).toMatchObject({ value: { value: { type: 'a' } } });
    // The next chunk is being read meanwhile, and the body never sends it.
    await new Promise(resolve => setTimeout(resolve, 80));
    expect(await value.read()).toMatchObject({ value: { value: { type: 'b' } } });
    await expect(value.read()).rejects.toThrow(/sent nothing for 30 ms/);
  });

  it('fails a read the body leaves waiting too long, retryably, and cancels the body', async () => {
    let cancelled: unknown;
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) controller.enqueue(encoder.encode('data: {"type":"a"}\n\n'));
        sent = true;
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const idleTimeout = new StreamIdleTimeout({ timeoutMs: 30, url });
    const { value } = await handle(new Response(body), idleTimeout);
    expect(await value.read()).toMatchObject({ done: false, value: { value: { type: 'a' } } });
    const error = await value.read().catch((caught: unknown) => caught);
    expect(APICallError.isInstance(error) && error.isRetryable).toBe(true);
    expect((error as Error).message).toMatch(/sent nothing for 30 ms/);
    expect(cancelled).toBe(error);
    expect(idleTimeout.signal.aborted).toBe(true);
    await expect(value.read()).rejects.toBe(error);
  });
});
