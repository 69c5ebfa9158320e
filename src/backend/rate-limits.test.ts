import { describe, expect, it } from 'vitest';
import { readFixture } from '../../test/support/fixtures';
import { parseRateLimits } from './rate-limits';

describe('parseRateLimits', () => {
  it('returns undefined without rate-limit headers', () => {
    expect(parseRateLimits({ 'content-type': 'text/event-stream' })).toBeUndefined();
    expect(parseRateLimits(undefined)).toBeUndefined();
  });

  it('parses windows, plan, credits and the limit that was reached', () => {
    expect(
      parseRateLimits({
        'x-codex-primary-used-percent': '42.5',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-at': '1704067242',
        'x-codex-secondary-used-percent': '87',
        'x-codex-secondary-window-minutes': '10080',
        'x-codex-plan-type': 'plus',
        'x-codex-credits-has-credits': 'True',
        'x-codex-credits-unlimited': '0',
        'x-codex-credits-balance': '12.5',
        'x-codex-active-limit': 'codex',
        'x-codex-rate-limit-reached-type': 'rate_limit_reached',
        'x-codex-promo-message': 'Upgrade',
      }),
    ).toEqual({
      primary: { usedPercent: 42.5, windowMinutes: 300, resetsAt: '2024-01-01T00:00:42.000Z' },
      secondary: { usedPercent: 87, windowMinutes: 10080 },
      planType: 'plus',
      credits: { hasCredits: true, unlimited: false, balance: '12.5' },
      activeLimit: 'codex',
      limitReachedType: 'rate_limit_reached',
      promoMessage: 'Upgrade',
    });
  });

  it('falls back to the legacy reset-after-seconds headers', () => {
    expect(
      parseRateLimits(
        { 'x-codex-primary-used-percent': '100', 'x-codex-primary-reset-after-seconds': '60' },
        () => Date.UTC(2026, 0, 1),
      ),
    ).toEqual({ primary: { usedPercent: 100, resetsAt: '2026-01-01T00:01:00.000Z' } });
  });

  it('ignores empty windows and credits without both flags', () => {
    expect(
      parseRateLimits({
        'x-codex-primary-used-percent': '0',
        'x-codex-secondary-used-percent': '0',
        'x-codex-secondary-window-minutes': '0',
        'x-codex-secondary-reset-at': '',
        'x-codex-credits-has-credits': 'true',
      }),
    ).toBeUndefined();
  });

  it('parses other limit families', () => {
    expect(
      parseRateLimits({
        'x-codex-bengalfox-primary-used-percent': '30',
        'x-codex-bengalfox-primary-window-minutes': '60',
        'x-codex-bengalfox-limit-name': 'GPT-5.5 Pro',
      }),
    ).toEqual({
      otherLimits: {
        codex_bengalfox: { primary: { usedPercent: 30, windowMinutes: 60 }, limitName: 'GPT-5.5 Pro' },
      },
    });
  });

  it('parses the headers of the recorded usage-limit 429', () => {
    const { headers } = JSON.parse(readFixture('codex', 'http_429_usage_limit_reached.json'));
    expect(parseRateLimits(headers)).toEqual({
      primary: { usedPercent: 100, windowMinutes: 15 },
      secondary: { usedPercent: 87.5, windowMinutes: 60 },
      credits: { hasCredits: true, unlimited: false },
      limitReachedType: 'workspace_member_usage_limit_reached',
    });
  });
});
