import type { ParseResult } from '@ai-sdk/provider-utils';
import { describe, expect, it } from 'vitest';
import { eventReader, readEvents } from '../../test/support/event-reader';
import { CodexUsageLimitError } from './codex-usage-limit-error';
import type { CodexEvent } from './event-schemas';
import { throwIfStreamFailsBeforeOutput } from './throw-early-stream-error';

const ok = (value: Record<string, unknown>) =>
  ({ success: true, value, rawValue: value }) as ParseResult<CodexEvent>;

function check(events: Array<ParseResult<CodexEvent>>, source = eventReader(events)) {
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
    const source = eventReader(events);
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
      ok({ type: 'response.completed', response: { id: 'r' } }),
    ];
    expect(await readEvents(await check(events))).toEqual(events);
  });

  it('passes parse failures and empty streams through', async () => {
    const failure = {
      success: false,
      error: new Error('bad') as never,
      rawValue: 'x',
    } as ParseResult<CodexEvent>;
    expect(await readEvents(await check([failure]))).toEqual([failure]);
    expect(await readEvents(await check([]))).toEqual([]);
  });
});
