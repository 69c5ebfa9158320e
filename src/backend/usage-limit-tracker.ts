import type { CodexUsageLimitError } from './codex-usage-limit-error';
import type { CodexRateLimits } from './rate-limits';
import { nextPacedSlot } from './usage-pacing';

/** What is known of one account's usage limits, without asking the backend. */
export interface CodexAccountUsage {
  /** The ChatGPT account id (`unknown` when the credentials carry none). */
  accountId: string;
  /** The limits as the backend reported them on its last answer for this account. */
  rateLimits?: CodexRateLimits;
  /** When the backend last reported them, as an ISO 8601 date. */
  updatedAt?: string;
  /** Limits found used up (429 `usage_limit_reached`) that have not reset yet. */
  exhausted: Array<{
    /** The limit family, e.g. `codex`. */
    limit: string;
    /** When it resets, as an ISO 8601 date. */
    resetsAt: string;
    /** The models seen refused by it. */
    models: string[];
  }>;
}

/** A used-up limit, with what the 429 that reported it said (for the error of a request held back). */
export interface UsageLimitBlock {
  limit: string;
  resetsAt: Date;
  url: string;
  planType?: string;
  rateLimits?: CodexRateLimits;
  responseHeaders?: Record<string, string>;
}

interface AccountState {
  rateLimits?: CodexRateLimits;
  updatedAt?: Date;
  /** Limit family of each model, learned from the 429s that named it. */
  modelLimits: Map<string, string>;
  blocks: Map<string, UsageLimitBlock>;
  /** Share of the primary window one request used, from the last two answers of the same window. */
  percentPerRequest?: number;
  /** When the last paced request went. */
  lastPacedAt?: number;
}

// The Codex CLI's default limit id, for a 429 without `x-codex-active-limit`.
const DEFAULT_LIMIT = 'codex';

// A reset time already past (clocks differ) is retried after this, so that waiting never turns into a busy loop.
const MIN_BLOCK_MS = 1000;

/**
 * Per account: the last reported limits, and the limits found used up with their reset times. A model is
 * held back only by the limit it was refused by, so that a fallback model with a limit of its own is tried.
 */
export class UsageLimitTracker {
  private readonly accounts = new Map<string, AccountState>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps the limits an answer reported. */
  record(accountId: string, rateLimits: CodexRateLimits | undefined): void {
    if (rateLimits == null) return;
    const account = this.account(accountId);
    const before = account.rateLimits?.primary;
    const after = rateLimits.primary;
    if (
      before != null &&
      after != null &&
      before.resetsAt === after.resetsAt &&
      after.usedPercent > before.usedPercent
    ) {
      account.percentPerRequest = after.usedPercent - before.usedPercent;
    }
    account.rateLimits = rateLimits;
    account.updatedAt = new Date(this.now());
  }

  /**
   * How long the next request waits so that the primary window, once more used than `abovePercent`, lasts
   * until its reset instead of being spent in a burst. Reserves that request's slot.
   */
  paceDelay(accountId: string, abovePercent: number): number {
    const account = this.accounts.get(accountId);
    const primary = account?.rateLimits?.primary;
    const resetsAt = primary?.resetsAt != null ? Date.parse(primary.resetsAt) : Number.NaN;
    const now = this.now();
    if (
      account?.percentPerRequest == null ||
      primary == null ||
      primary.usedPercent < abovePercent ||
      !(resetsAt > now)
    ) {
      return 0;
    }
    const slot = nextPacedSlot(
      { usedPercent: primary.usedPercent, resetsAt, percentPerRequest: account.percentPerRequest },
      { now, ...(account.lastPacedAt != null && { lastSlot: account.lastPacedAt }) },
    );
    account.lastPacedAt = slot;
    return slot - now;
  }

  /** Keeps a 429 `usage_limit_reached` for `modelId`. Without a reset time there is nothing to wait for. */
  block(accountId: string, modelId: string, error: CodexUsageLimitError): void {
    const account = this.account(accountId);
    this.record(accountId, error.rateLimits);
    const limit = error.rateLimits?.activeLimit ?? DEFAULT_LIMIT;
    account.modelLimits.set(modelId, limit);
    if (error.resetsAt == null) return;
    const resetsAt = new Date(Math.max(error.resetsAt.getTime(), this.now() + MIN_BLOCK_MS));
    account.blocks.set(limit, {
      limit,
      resetsAt,
      url: error.url,
      ...(error.planType != null && { planType: error.planType }),
      ...(error.rateLimits != null && { rateLimits: error.rateLimits }),
      ...(error.responseHeaders != null && { responseHeaders: error.responseHeaders }),
    });
  }

  /** The used-up limit `modelId` waits for, if any. */
  blockOf(accountId: string, modelId: string): UsageLimitBlock | undefined {
    const account = this.accounts.get(accountId);
    const limit = account?.modelLimits.get(modelId);
    if (account == null || limit == null) return undefined;
    const block = account.blocks.get(limit);
    if (block == null || block.resetsAt.getTime() > this.now()) return block;
    account.blocks.delete(limit);
    return undefined;
  }

  /** Every account seen, with its last known limits. */
  snapshot(): CodexAccountUsage[] {
    return [...this.accounts.entries()].map(([accountId, account]) => ({
      accountId,
      ...(account.rateLimits != null && { rateLimits: account.rateLimits }),
      ...(account.updatedAt != null && { updatedAt: account.updatedAt.toISOString() }),
      exhausted: [...account.blocks.values()]
        .filter(block => block.resetsAt.getTime() > this.now())
        .map(block => ({
          limit: block.limit,
          resetsAt: block.resetsAt.toISOString(),
          models: [...account.modelLimits]
            .filter(([, limit]) => limit === block.limit)
            .map(([model]) => model),
        })),
    }));
  }

  private account(accountId: string): AccountState {
    let account = this.accounts.get(accountId);
    if (account == null) {
      account = { modelLimits: new Map(), blocks: new Map() };
      this.accounts.set(accountId, account);
    }
    return account;
  }
}
