import { describe, expect, it } from 'vitest';
import { rateLimitHeadersOf, rateLimitsMessageOf } from './rate-limits-message';

// The backend's message, as in fixtures/codex/ws_codex_rate_limits_event.json.
const backendMessage = {
  type: 'codex.rate_limits',
  plan_type: 'plus',
  rate_limits: {
    allowed: true,
    limit_reached: false,
    primary: { used_percent: 42, window_minutes: 60, reset_at: 1700000000 },
    secondary: null,
  },
  code_review_rate_limits: null,
  credits: { has_credits: true, unlimited: false, balance: '123' },
  promo: null,
};

describe('the codex.rate_limits message and the x-codex-* headers', () => {
  it('turns the backend message into headers and back', () => {
    const headers = rateLimitHeadersOf(backendMessage);
    expect(headers).toMatchObject({ 'x-codex-primary-used-percent': '42', 'x-codex-plan-type': 'plus' });
    expect(rateLimitsMessageOf(headers)).toEqual({
      type: 'codex.rate_limits',
      plan_type: 'plus',
      rate_limits: {
        primary: { used_percent: 42, window_minutes: 60, reset_at: 1700000000 },
        secondary: null,
      },
      credits: { has_credits: true, unlimited: false, balance: '123' },
    });
  });

  it('makes no message of an answer without rate limits', () => {
    expect(rateLimitsMessageOf({ 'x-request-id': 'req_1' })).toBeUndefined();
  });
});
