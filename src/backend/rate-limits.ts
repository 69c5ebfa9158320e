/** One usage window of a limit (e.g. the 5-hour or the weekly window). */
export type CodexRateLimitWindow = {
  /** Share of the window used, 0–100. */
  usedPercent: number;
  /** Length of the window in minutes (300 = 5 hours, 10080 = a week). */
  windowMinutes?: number;
  /** When the window resets, as an ISO 8601 date. */
  resetsAt?: string;
};

export type CodexRateLimit = {
  primary?: CodexRateLimitWindow;
  secondary?: CodexRateLimitWindow;
  /** Display name of a metered limit (e.g. a model-specific one). */
  limitName?: string;
};

/** The subscription's limits as the backend reports them in `x-codex-*` headers on every response. */
export type CodexRateLimits = CodexRateLimit & {
  planType?: string;
  credits?: { hasCredits: boolean; unlimited: boolean; balance?: string };
  /** Which limit family is exhausted (on a 429). */
  activeLimit?: string;
  /** e.g. `rate_limit_reached`, `workspace_member_usage_limit_reached`. */
  limitReachedType?: string;
  promoMessage?: string;
  /** Other limit families (`x-codex-bengalfox-*` → `codex_bengalfox`), keyed by limit id. */
  otherLimits?: Record<string, CodexRateLimit>;
};

const FAMILY_SUFFIX = '-primary-used-percent';

/**
 * Parses the `x-codex-*` rate-limit headers (codex-rs/codex-api/src/rate_limits.rs). Returns
 * `undefined` when the response carries none.
 *
 * @param headers - Response headers with lower-case names.
 * @param now - Used only for the legacy `*-reset-after-seconds` headers.
 */
export function parseRateLimits(
  headers: Record<string, string> | undefined,
  now: () => number = Date.now,
): CodexRateLimits | undefined {
  if (headers == null) return undefined;

  const result: CodexRateLimits = { ...parseFamily(headers, 'x-codex', now) };

  for (const name of Object.keys(headers)) {
    if (!name.endsWith(FAMILY_SUFFIX) || name === `x-codex${FAMILY_SUFFIX}`) continue;
    const prefix = name.slice(0, -FAMILY_SUFFIX.length);
    const limit = parseFamily(headers, prefix, now);
    if (Object.keys(limit).length > 0) {
      result.otherLimits = { ...result.otherLimits, [prefix.slice(2).replaceAll('-', '_')]: limit };
    }
  }

  const planType = nonEmpty(headers['x-codex-plan-type']);
  if (planType != null) result.planType = planType;

  const hasCredits = parseBoolean(headers['x-codex-credits-has-credits']);
  const unlimited = parseBoolean(headers['x-codex-credits-unlimited']);
  if (hasCredits != null && unlimited != null) {
    const balance = nonEmpty(headers['x-codex-credits-balance']);
    result.credits = { hasCredits, unlimited, ...(balance != null && { balance }) };
  }

  const activeLimit = nonEmpty(headers['x-codex-active-limit']);
  if (activeLimit != null) result.activeLimit = activeLimit;
  const limitReachedType = nonEmpty(headers['x-codex-rate-limit-reached-type']);
  if (limitReachedType != null) result.limitReachedType = limitReachedType;
  const promoMessage = nonEmpty(headers['x-codex-promo-message']);
  if (promoMessage != null) result.promoMessage = promoMessage;

  return Object.keys(result).length > 0 ? result : undefined;
}

function parseFamily(headers: Record<string, string>, prefix: string, now: () => number): CodexRateLimit {
  const limit: CodexRateLimit = {};
  const primary = parseWindow(headers, `${prefix}-primary`, now);
  if (primary != null) limit.primary = primary;
  const secondary = parseWindow(headers, `${prefix}-secondary`, now);
  if (secondary != null) limit.secondary = secondary;
  const limitName = nonEmpty(headers[`${prefix}-limit-name`]);
  if (limitName != null) limit.limitName = limitName;
  return limit;
}

function parseWindow(
  headers: Record<string, string>,
  prefix: string,
  now: () => number,
): CodexRateLimitWindow | undefined {
  const usedPercent = parseNumber(headers[`${prefix}-used-percent`]);
  if (usedPercent == null) return undefined;

  const windowMinutes = parseNumber(headers[`${prefix}-window-minutes`]);
  const resetAt = parseNumber(headers[`${prefix}-reset-at`]);
  const resetAfterSeconds = parseNumber(headers[`${prefix}-reset-after-seconds`]);
  const resetsAtMs =
    resetAt != null && resetAt > 0
      ? resetAt * 1000
      : resetAfterSeconds != null && resetAfterSeconds > 0
        ? now() + resetAfterSeconds * 1000
        : undefined;

  // As in the Codex CLI, a window reported as all zeros carries no information.
  if (usedPercent === 0 && !windowMinutes && resetsAtMs == null) return undefined;

  return {
    usedPercent,
    ...(windowMinutes ? { windowMinutes } : {}),
    ...(resetsAtMs != null && { resetsAt: new Date(resetsAtMs).toISOString() }),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parseNumber(value: string | undefined): number | undefined {
  const trimmed = nonEmpty(value);
  if (trimmed == null) return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}

function parseBoolean(value: string | undefined): boolean | undefined {
  switch (nonEmpty(value)?.toLowerCase()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      return undefined;
  }
}
