import { describe, expect, it } from 'vitest';
import { nextPacedSlot } from './usage-pacing';

describe('nextPacedSlot', () => {
  const now = 1_000_000;

  it('spreads the requests that still fit evenly until the reset', () => {
    // 20 % left at 5 % a request: 4 requests over the 10 s left, one every 2 s.
    const window = { usedPercent: 80, resetsAt: now + 10_000, percentPerRequest: 5 };
    expect(nextPacedSlot(window, { now })).toBe(now + 2_000);
    expect(nextPacedSlot(window, { now, lastSlot: now + 2_000 })).toBe(now + 3_600);
  });

  it('never schedules in the past', () => {
    const window = { usedPercent: 50, resetsAt: now + 1_000, percentPerRequest: 1 };
    expect(nextPacedSlot(window, { now, lastSlot: now - 60_000 })).toBe(now);
  });

  it('lets the request go when nothing is left, so that the backend decides', () => {
    const window = { usedPercent: 100, resetsAt: now + 10_000, percentPerRequest: 10 };
    expect(nextPacedSlot(window, { now, lastSlot: now - 100 })).toBe(now);
  });
});
