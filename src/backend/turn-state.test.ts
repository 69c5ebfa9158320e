import { describe, expect, it } from 'vitest';
import { TurnStates } from './turn-state';

describe('TurnStates', () => {
  it('echoes the token within a turn and forgets it when a new turn starts', () => {
    const states = new TurnStates();
    expect(states.get('s', false)).toBeUndefined();
    states.set('s', { 'x-codex-turn-state': 'token-1' });
    expect(states.get('s', true)).toBe('token-1');
    // A later response of the same turn does not replace the turn's token (the Codex CLI keeps the first).
    states.set('s', { 'x-codex-turn-state': 'token-2' });
    expect(states.get('s', true)).toBe('token-1');
    expect(states.get('other', true)).toBeUndefined();
    expect(states.get('s', false)).toBeUndefined();
    expect(states.get('s', true)).toBeUndefined();
  });

  it('ignores responses without a token and keeps only recent sessions', () => {
    const states = new TurnStates();
    states.set('s', {});
    expect(states.get('s', true)).toBeUndefined();
    for (let index = 0; index <= 1000; index++)
      states.set(`s${index}`, { 'x-codex-turn-state': `t${index}` });
    expect(states.get('s0', true)).toBeUndefined();
    expect(states.get('s1000', true)).toBe('t1000');
  });
});
