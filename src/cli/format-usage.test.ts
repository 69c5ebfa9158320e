import { describe, expect, it } from 'vitest';
import { formatDuration, formatUsageLimits, windowName } from './format-usage';

describe('formatUsageLimits', () => {
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);

  it('names the windows by their length and says when they reset', () => {
    const lines = formatUsageLimits(
      {
        plan_type: 'plus',
        rate_limit: {
          allowed: true,
          limit_reached: false,
          primary_window: {
            used_percent: 12.34,
            limit_window_seconds: 18_000,
            reset_at: now / 1000 + 3 * 3600 + 120,
          },
          secondary_window: {
            used_percent: 40,
            limit_window_seconds: 604_800,
            reset_after_seconds: 4 * 86_400 + 7200,
          },
        },
        credits: { has_credits: true, unlimited: false, balance: '12.50' },
      },
      now,
    );
    expect(lines[0]).toMatch(/^5-hour limit: 12\.3% used, resets in 3h 2m \(/);
    expect(lines[1]).toMatch(/^Weekly limit: 40% used, resets in 4d 2h \(/);
    expect(lines[2]).toBe('Credits: 12.50');
  });

  it('says when a limit is reached, and lists metered limits by name', () => {
    const lines = formatUsageLimits(
      {
        rate_limit: { allowed: false, limit_reached: true, primary_window: { used_percent: 100 } },
        additional_rate_limits: [
          {
            limit_name: 'GPT-5.5 Pro',
            rate_limit: { primary_window: { used_percent: 5, limit_window_seconds: 86_400 } },
          },
        ],
        rate_limit_reached_type: { type: 'rate_limit_reached' },
        credits: { unlimited: true },
      },
      now,
    );
    expect(lines).toEqual([
      'Usage limit: 100% used',
      'GPT-5.5 Pro: 1-day limit: 5% used',
      'Limit reached (rate_limit_reached): requests are refused until the window resets.',
      'Credits: unlimited',
    ]);
  });
});

describe('windowName and formatDuration', () => {
  it('reads window lengths and durations the way people say them', () => {
    expect(windowName(90 * 60)).toBe('90-minute');
    expect(windowName(3600)).toBe('1-hour');
    expect(windowName(30)).toBe('30-second');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(-5)).toBe('0s');
    expect(formatDuration(61 * 60_000)).toBe('1h 1m');
  });
});
