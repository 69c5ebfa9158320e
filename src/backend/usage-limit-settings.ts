import { InvalidArgumentError } from '@ai-sdk/provider';

/** A request held back until a usage limit resets. */
export interface CodexUsageLimitWait {
  /** The model whose limit is used up (the requested one, or the last fallback tried). */
  modelId: string;
  /** When the limit resets; the request is sent then. */
  resetsAt: Date;
  /** How long the request waits, in milliseconds. */
  waitMs: number;
}

/** What a call does when the subscription's usage limit is reached (429 `usage_limit_reached`). */
export interface CodexUsageLimitSettings {
  /**
   * Hold the request until the limit resets, then send it, instead of failing with `CodexUsageLimitError`.
   * Requests for the same limit that arrive meanwhile wait too, without reaching the backend. Aborting the
   * call (`abortSignal`) ends its wait. Default: `false`.
   */
  wait?: boolean;
  /**
   * The longest a request waits, in milliseconds: when the limit resets later, the call fails at once with
   * `CodexUsageLimitError`. Default: 6 hours (a 5-hour window is waited out, a weekly one is not).
   */
  maxWaitMs?: number;
  /**
   * Models to use, in this order, while the requested one is limited (e.g. a mini model with a limit of
   * its own). A call answered by one carries a warning and `providerMetadata.codex.usageLimit`.
   */
  fallbackModels?: string[];
  /**
   * Once the primary window is more used than this share (0–100, e.g. `90`), requests are spread so that what
   * is left lasts until the reset, rather than spent in a burst that then waits or fails. The share one request
   * uses is learned from the backend's answers, so the spacing is an estimate. Default: off.
   */
  paceAbovePercent?: number;
  /** Called when a request starts waiting, e.g. to log it. */
  onWait?: (wait: CodexUsageLimitWait) => void;
}

export const DEFAULT_MAX_USAGE_WAIT_MS = 6 * 60 * 60 * 1000;

// setTimeout's limit: a longer wait would fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Checks the settings when the provider is created, so that a typo fails before the first request. */
export function checkUsageLimitSettings(
  settings: CodexUsageLimitSettings | undefined,
): CodexUsageLimitSettings | undefined {
  if (settings == null) return undefined;
  const { maxWaitMs, fallbackModels, paceAbovePercent } = settings;
  if (paceAbovePercent != null && !(paceAbovePercent >= 0 && paceAbovePercent <= 100)) {
    throw new InvalidArgumentError({
      argument: 'onUsageLimit.paceAbovePercent',
      message: `onUsageLimit.paceAbovePercent must be a share of the window from 0 to 100, not ${paceAbovePercent}.`,
    });
  }
  if (maxWaitMs != null && !(Number.isFinite(maxWaitMs) && maxWaitMs >= 0 && maxWaitMs <= MAX_TIMER_MS)) {
    throw new InvalidArgumentError({
      argument: 'onUsageLimit.maxWaitMs',
      message: `onUsageLimit.maxWaitMs must be a number of milliseconds from 0 to ${MAX_TIMER_MS} (about 24 days), not ${maxWaitMs}.`,
    });
  }
  if (fallbackModels != null && !fallbackModels.every(model => typeof model === 'string' && model !== '')) {
    throw new InvalidArgumentError({
      argument: 'onUsageLimit.fallbackModels',
      message: 'onUsageLimit.fallbackModels must be a list of model ids, e.g. ["gpt-6-luna"].',
    });
  }
  return settings;
}
