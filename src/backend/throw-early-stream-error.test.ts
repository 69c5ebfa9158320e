import type { ParseResult } from '@ai-sdk/provider-utils';
import { describe, expect, it } from 'vitest';
import type { CodexEvent } from '../responses/event-schemas';
import { CodexUsageLimitError } from './codex-usage-limit-error';
import type { CodexEventReader } from './event-stream-response-handler';
import { throwIfStreamFailsBeforeOutput } from './throw-early-stream-error';

const ok = (value: Record<string, unknown>) =>
  ({ success: true, value, rawValue: value }) as ParseResult<CodexEvent>;

/** A reader giving `events` one batch per event, recording whether it was cancelled. */
function readerOf(events: Array<ParseResult<CodexEvent>>): CodexEventReader & { cancelled: boolean } {
  let next = 0;
  return {
    cancelled: false,
    read: async () =>
      next < events.length ? { done: false, value: [events[next++]!] } : { done: true, value: undefined },
    async cancel() {
      this.cancelled = true;
    },
  };
}

async function readAll(reader: CodexEventReader) {
  const events: Array<ParseResult<CodexEvent>> = [];
  for (let result = await reader.read(); !result.done; result = await reader.read())
    events.push(...result.value);
  return events;
}

function check(events: Array<ParseResult<CodexEvent>>, source = readerOf(events)) {
  return throwIfStreamFailsBeforeOutput({
    events: source,
    url: 'https://backend.example/responses',
    requestBodyValues: {},
    responseHeaders: {},
  });
}

describe('throwIfStreamFailsBeforeOutput', () => {
  it('throws response.failed that comes before any output, and cancels the response', async () => {
    const events = [
      ok({ type: 'response.created', response: { id: 'r' } }),
      ok({ type: 'response.in_progress', response: { id: 'r' } }),
      ok({
        type: 'response.failed',
        response: { error: { code: 'context_length_exceeded', message: 'Too long.' } },
      }),
    ];
    const source = readerOf(events);
    await expect(check(events, source)).rejects.toMatchObject({
      message: 'Too long.',
      statusCode: 400,
      isRetryable: false,
    });
    expect(source.cancelled).toBe(true);
  });

  it('looks past side-channel events for an early error', async () => {
    await expect(
      check([
        ok({ type: 'response.created', response: { id: 'r' } }),
        ok({ type: 'codex.rate_limits', rate_limits: {} }),
        ok({ type: 'response.metadata', headers: {} }),
        ok({ type: 'error', code: 'server_is_overloaded', message: 'busy' }),
      ]),
    ).rejects.toMatchObject({ message: 'busy', statusCode: 503 });
  });

  it('throws error events, usage limits as CodexUsageLimitError', async () => {
    await expect(
      check([
        ok({ type: 'error', error: { type: 'usage_limit_reached', message: 'limit', plan_type: 'plus' } }),
      ]),
    ).rejects.toBeInstanceOf(CodexUsageLimitError);
    await expect(
      check([ok({ type: 'error', code: 'rate_limit_exceeded', message: 'slow down' })]),
    ).rejects.toMatchObject({
      statusCode: 429,
      isRetryable: true,
    });
  });

  it('replays everything once output started, errors included', async () => {
    const events = [
      ok({ type: 'response.created', response: { id: 'r' } }),
      ok({ type: 'response.output_item.added', item: { type: 'message', id: 'm' } }),
      ok({ type: 'response.failed', response: { error: { code: 'server_error', message: 'oops' } } }),
    ];
    expect(await readAll(await check(events))).toEqual(events);
  });

  it('passes parse failures and empty streams through', async () => {
    const failure = {
      success: false,
      error: new Error('bad') as never,
      rawValue: 'x',
    } as ParseResult<CodexEvent>;
    expect(await readAll(await check([failure]))).toEqual([failure]);
    expect(await readAll(await check([]))).toEqual([]);
  });
});
