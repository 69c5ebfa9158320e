import { describe, expect, it } from 'vitest';
import { turnStateHeadersOf } from './response-metadata-message';

describe('turnStateHeadersOf', () => {
  it('reads the turn state of a response.metadata message as the header SSE carries', () => {
    expect(
      turnStateHeadersOf({
        type: 'response.metadata',
        headers: { 'x-codex-turn-state': 'ts_1', other: 'x' },
      }),
    ).toEqual({ 'x-codex-turn-state': 'ts_1' });
  });

  it('reads nothing from a message without one', () => {
    expect(turnStateHeadersOf({ type: 'response.metadata', metadata: { type: 'safety_buffering' } })).toEqual(
      {},
    );
    expect(turnStateHeadersOf({ type: 'response.metadata', headers: { 'x-codex-turn-state': '' } })).toEqual(
      {},
    );
    expect(turnStateHeadersOf({ type: 'response.metadata', headers: { 'x-codex-turn-state': 7 } })).toEqual(
      {},
    );
  });
});
