/** One usage window of the subscription (the 5-hour or the weekly one). */
export interface RateLimitWindow {
  /** Share of the window already used, 0–100. At 100 or more, `/responses` answers 429 `usage_limit_reached`. */
  usedPercent: number;
  /** Window length in minutes (300 = 5 h, 10080 = a week). */
  windowMinutes: number;
  /** When the window resets, unix seconds. Default: one window length after the emulator started. */
  resetAt?: number;
}

/** The subscription usage the emulator reports in `x-codex-*` headers, 429s and `/wham/usage`. */
export interface RateLimitState {
  primary: RateLimitWindow;
  secondary: RateLimitWindow;
  credits: { hasCredits: boolean; unlimited: boolean; balance: string };
  /** Sent as `x-codex-promo-message` when set. */
  promoMessage?: string;
}

/** Partial update of {@link RateLimitState}; nested windows merge field by field. */
export interface RateLimitUpdate {
  primary?: Partial<RateLimitWindow>;
  secondary?: Partial<RateLimitWindow>;
  credits?: Partial<RateLimitState['credits']>;
  promoMessage?: string;
}

export function createRateLimitState(nowSeconds: number, update: RateLimitUpdate = {}): RateLimitState {
  const state: RateLimitState = {
    primary: { usedPercent: 12, windowMinutes: 300, resetAt: nowSeconds + 300 * 60 },
    secondary: { usedPercent: 5, windowMinutes: 10_080, resetAt: nowSeconds + 10_080 * 60 },
    credits: { hasCredits: false, unlimited: false, balance: '' },
  };
  return applyRateLimitUpdate(state, update);
}

export function applyRateLimitUpdate(state: RateLimitState, update: RateLimitUpdate): RateLimitState {
  return {
    primary: { ...state.primary, ...update.primary },
    secondary: { ...state.secondary, ...update.secondary },
    credits: { ...state.credits, ...update.credits },
    promoMessage: update.promoMessage ?? state.promoMessage,
  };
}

/** The window that is exhausted, if any (primary first, as the backend reports one active limit). */
export function exhaustedWindow(state: RateLimitState): RateLimitWindow | undefined {
  if (state.primary.usedPercent >= 100) return state.primary;
  if (state.secondary.usedPercent >= 100) return state.secondary;
  return undefined;
}

// The live backend writes booleans the Python way (see fixtures/codex/http_429_live_headers_third_party.txt).
const pyBool = (value: boolean) => (value ? 'True' : 'False');

/** The `x-codex-*` headers the backend sends on every response. */
export function rateLimitHeaders(
  state: RateLimitState,
  options: { nowSeconds: number; planType?: string },
): Record<string, string> {
  const window = (name: 'primary' | 'secondary', w: RateLimitWindow) => {
    const resetAt = w.resetAt ?? options.nowSeconds + w.windowMinutes * 60;
    return {
      [`x-codex-${name}-used-percent`]: String(w.usedPercent),
      [`x-codex-${name}-window-minutes`]: String(w.windowMinutes),
      [`x-codex-${name}-reset-after-seconds`]: String(Math.max(0, resetAt - options.nowSeconds)),
      [`x-codex-${name}-reset-at`]: String(resetAt),
    };
  };
  const headers: Record<string, string> = {
    ...window('primary', state.primary),
    ...window('secondary', state.secondary),
    'x-codex-primary-over-secondary-limit-percent': '0',
    'x-codex-credits-has-credits': pyBool(state.credits.hasCredits),
    'x-codex-credits-unlimited': pyBool(state.credits.unlimited),
    'x-codex-credits-balance': state.credits.balance,
  };
  if (options.planType) headers['x-codex-plan-type'] = options.planType;
  if (state.promoMessage) headers['x-codex-promo-message'] = state.promoMessage;
  return headers;
}

/** Status, headers and body of the 429 the backend answers when a usage window is exhausted. */
export function usageLimitResponse(options: { planType: string; resetsAt: number; nowSeconds: number }): {
  status: 429;
  headers: Record<string, string>;
  body: unknown;
} {
  return {
    status: 429,
    headers: { 'x-codex-active-limit': 'codex', 'x-codex-rate-limit-reached-type': 'rate_limit_reached' },
    body: {
      error: {
        type: 'usage_limit_reached',
        message: 'The usage limit has been reached',
        plan_type: options.planType,
        resets_at: options.resetsAt,
        resets_in_seconds: Math.max(0, options.resetsAt - options.nowSeconds),
      },
    },
  };
}

/** The body of `GET /backend-api/wham/usage`. */
export function usagePayload(state: RateLimitState, options: { nowSeconds: number; planType: string }) {
  const window = (w: RateLimitWindow) => {
    const resetAt = w.resetAt ?? options.nowSeconds + w.windowMinutes * 60;
    return {
      used_percent: w.usedPercent,
      limit_window_seconds: w.windowMinutes * 60,
      reset_after_seconds: Math.max(0, resetAt - options.nowSeconds),
      reset_at: resetAt,
    };
  };
  const reached = exhaustedWindow(state) !== undefined;
  return {
    plan_type: options.planType,
    rate_limit: {
      allowed: !reached,
      limit_reached: reached,
      primary_window: window(state.primary),
      secondary_window: window(state.secondary),
    },
    credits: {
      has_credits: state.credits.hasCredits,
      unlimited: state.credits.unlimited,
      balance: state.credits.balance,
    },
    additional_rate_limits: [],
    rate_limit_reached_type: reached ? { type: 'rate_limit_reached' } : null,
  };
}
