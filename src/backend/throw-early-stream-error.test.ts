import type { ParseResult } from '@ai-sdk/provider-utils';
import { convertArrayToReadableStream, convertReadableStreamToArray } from '@ai-sdk/provider-utils/test';
import { describe, expect, it } from 'vitest';
import type { CodexEvent } from '../responses/event-schemas';
import { CodexUsageLimitError } from './codex-usage-limit-error';
import { throwIfStreamFailsBeforeOutput } from './throw-early-stream-error';

const ok = (value: Record<string, unknown>) =>
  ({ success: true, value, rawValue: value }) as ParseResult<CodexEvent>;

function check(events: Array<ParseResult<CodexEvent>>) {
  return throwIfStreamFailsBeforeOutput({
    stream: convertArrayToReadableStream(events),
    url: 'https://backend.example/responses',
    requestBodyValues: {},
    responseHeaders: {},
  });
}

describe('throwIfStreamFailsBeforeOutput', () => {
  it('throws response.failed that comes before any output', async () => {
    await expect(
      check([
        ok({ type: 'response.created', response: { id: 'r' } }),
        ok({ type: 'response.in_progress', response: { id: 'r' } }),
        ok({
          type: 'response.failed',
          response: { error: { code: 'context_length_exceeded', message: 'Too long.' } },
        }),
      ]),
    ).rejects.toMatchObject({ message: 'Too long.', statusCode: 400, isRetryable: false });
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
    expect(await convertReadableStreamToArray(await check(events))).toEqual(events);
  });

  it('passes parse failures and empty streams through', async () => {
    const failure = {
      success: false,
      error: new Error('bad') as never,
      rawValue: 'x',
    } as ParseResult<CodexEvent>;
    expect(await convertReadableStreamToArray(await check([failure]))).toEqual([failure]);
    expect(await convertReadableStreamToArray(await check([]))).toEqual([]);
  });
});
