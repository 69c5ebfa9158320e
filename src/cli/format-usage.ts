import type { UsageLimits } from './fetch-usage-limits';

type Window = NonNullable<NonNullable<UsageLimits['rate_limit']>['primary_window']>;

/** "5-hour", "weekly", "90-minute": the name of a rate-limit window from its length. */
export function windowName(seconds: number | null | undefined): string {
  if (seconds == null) return 'Usage';
  // Test windows (the emulator's) can be seconds long.
  if (seconds < 60) return `${seconds}-second`;
  const minutes = Math.round(seconds / 60);
  if (minutes === 7 * 24 * 60) return 'Weekly';
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)}-day`;
  if (minutes % 60 === 0) return `${minutes / 60}-hour`;
  return `${minutes}-minute`;
}

/** "3h 2m", "4d 2h", "45s": a short, human duration. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}

function formatWindow(window: Window, now: number): string {
  const used = `${Math.round(window.used_percent * 10) / 10}% used`;
  const resetAt =
    window.reset_at != null
      ? window.reset_at * 1000
      : window.reset_after_seconds != null
        ? now + window.reset_after_seconds * 1000
        : undefined;
  const reset =
    resetAt != null
      ? `, resets in ${formatDuration(resetAt - now)} (${new Date(resetAt).toLocaleString()})`
      : '';
  return `${windowName(window.limit_window_seconds)} limit: ${used}${reset}`;
}

/** The lines `status` prints for the account's usage limits. */
export function formatUsageLimits(usage: UsageLimits, now = Date.now()): string[] {
  const lines: string[] = [];
  const limit = usage.rate_limit;
  for (const window of [limit?.primary_window, limit?.secondary_window]) {
    if (window != null) lines.push(formatWindow(window, now));
  }
  for (const extra of usage.additional_rate_limits ?? []) {
    const name = extra.limit_name ?? extra.metered_feature ?? 'Additional';
    for (const window of [extra.rate_limit?.primary_window, extra.rate_limit?.secondary_window]) {
      if (window != null) lines.push(`${name}: ${formatWindow(window, now)}`);
    }
  }
  if (limit?.limit_reached || limit?.allowed === false) {
    lines.push(
      `Limit reached${usage.rate_limit_reached_type?.type ? ` (${usage.rate_limit_reached_type.type})` : ''}: requests are refused until the window resets.`,
    );
  }
  const credits = usage.credits;
  if (credits?.unlimited) {
    lines.push('Credits: unlimited');
  } else if (credits?.has_credits) {
    lines.push(`Credits: ${credits.balance ?? 'available'}`);
  }
  return lines;
}
