import type { RateLimitWindow } from './rate-limit-headers';

/** A primary usage window that fills up with requests, so that tests can cross a limit and see it reset. */
export interface UsageWindowOptions {
  /** Requests the window admits; the next one gets 429 `usage_limit_reached` until the reset. */
  requests: number;
  /** Seconds from the window's first request to its reset. */
  resetAfterSeconds: number;
  /**
   * Models the window counts and limits. Default: every model. Requests for other models are served and not
   * counted, as for a model with a limit of its own.
   */
  models?: string[];
}

/**
 * The state of a {@link UsageWindowOptions} window. Like the backend's, a window starts with its first
 * request and resets a fixed time later, whatever was used.
 */
export class UsageWindow {
  private used = 0;
  private resetAt: number | undefined;

  constructor(private readonly options: UsageWindowOptions) {
    if (!Number.isInteger(options.requests) || options.requests < 1) {
      throw new RangeError(
        `usageWindow.requests must be a whole number of at least 1, not ${options.requests}.`,
      );
    }
    if (!(options.resetAfterSeconds > 0)) {
      throw new RangeError(
        `usageWindow.resetAfterSeconds must be positive, not ${options.resetAfterSeconds}.`,
      );
    }
  }

  /** Whether requests for `model` count against this window. */
  limits(model: unknown): boolean {
    return this.options.models == null || this.options.models.includes(String(model));
  }

  /** The reset time (unix seconds) when the window is used up, else `undefined`. */
  exhaustedUntil(nowSeconds: number): number | undefined {
    this.roll(nowSeconds);
    return this.used >= this.options.requests ? this.resetAt : undefined;
  }

  /** Counts one admitted request. */
  count(nowSeconds: number): void {
    this.roll(nowSeconds);
    this.resetAt ??= nowSeconds + this.options.resetAfterSeconds;
    this.used += 1;
  }

  /** The window as the `x-codex-primary-*` headers and `/wham/usage` report it. */
  report(nowSeconds: number): RateLimitWindow {
    this.roll(nowSeconds);
    return {
      usedPercent: Math.min(100, Math.round((this.used / this.options.requests) * 1000) / 10),
      windowMinutes: this.options.resetAfterSeconds / 60,
      resetAt: this.resetAt ?? nowSeconds + this.options.resetAfterSeconds,
    };
  }

  private roll(nowSeconds: number): void {
    if (this.resetAt != null && nowSeconds >= this.resetAt) {
      this.used = 0;
      this.resetAt = undefined;
    }
  }
}
