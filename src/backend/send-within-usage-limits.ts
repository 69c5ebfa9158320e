import { delay } from '@ai-sdk/provider-utils';
import { CodexUsageLimitError, usageLimitMessage } from './codex-usage-limit-error';
import { type CodexUsageLimitSettings, DEFAULT_MAX_USAGE_WAIT_MS } from './usage-limit-settings';
import type { UsageLimitBlock, UsageLimitTracker } from './usage-limit-tracker';

/** How a request got past a usage limit, for the call's warnings and provider metadata. */
export interface UsageLimitDetour {
  /** The model that was asked for. */
  requestedModelId: string;
  /** The model that answered: a fallback when the requested one was limited. */
  modelId: string;
  /** How long the request waited for limits to reset, in milliseconds. */
  waitedMs: number;
  /** When the requested model's limit resets, when a fallback answered. */
  requestedModelResetsAt?: Date;
}

/**
 * Sends a request with the usage-limit policy of `settings`. By default it is sent once and a 429
 * `usage_limit_reached` fails it (the limit is remembered for `usageLimits()`). With `fallbackModels`, each
 * model whose limit is known to be used up is skipped for the next; with `wait`, when every model is limited
 * the request waits for the soonest reset (at most `maxWaitMs`) and starts over, without reaching the backend
 * meanwhile.
 *
 * @param send - Sends the request for a model; throws `CodexUsageLimitError` when its limit is used up.
 */
export async function sendWithinUsageLimits<T>({
  send,
  modelId,
  accountId,
  tracker,
  settings = {},
  abortSignal,
  now = Date.now,
}: {
  send: (modelId: string) => Promise<T>;
  modelId: string;
  accountId: string;
  tracker: UsageLimitTracker;
  settings?: CodexUsageLimitSettings;
  abortSignal?: AbortSignal;
  now?: () => number;
}): Promise<{ value: T; detour?: UsageLimitDetour }> {
  const candidates = [modelId, ...(settings.fallbackModels ?? []).filter(model => model !== modelId)];
  // Without a policy a request is always sent: only then does the backend's own answer fail it.
  const holdBack = settings.wait === true || candidates.length > 1;
  const maxWaitMs = settings.maxWaitMs ?? DEFAULT_MAX_USAGE_WAIT_MS;
  const deadline = now() + maxWaitMs;
  let waitedMs = 0;

  while (true) {
    let soonest: { block: UsageLimitBlock; modelId: string } | undefined;
    let lastError: CodexUsageLimitError | undefined;
    for (const candidate of candidates) {
      let block = holdBack ? tracker.blockOf(accountId, candidate) : undefined;
      if (block == null) {
        if (settings.paceAbovePercent != null) {
          const pause = tracker.paceDelay(accountId, settings.paceAbovePercent);
          if (pause > 0) await delay(pause, { abortSignal });
        }
        try {
          const value = await send(candidate);
          const requestedBlock = tracker.blockOf(accountId, modelId);
          const detoured = candidate !== modelId || waitedMs > 0;
          return {
            value,
            ...(detoured && {
              detour: {
                requestedModelId: modelId,
                modelId: candidate,
                waitedMs,
                ...(candidate !== modelId &&
                  requestedBlock != null && { requestedModelResetsAt: requestedBlock.resetsAt }),
              },
            }),
          };
        } catch (error) {
          if (!CodexUsageLimitError.isInstance(error)) throw error;
          tracker.block(accountId, candidate, error);
          lastError = error;
          block = holdBack ? tracker.blockOf(accountId, candidate) : undefined;
        }
      }
      if (block != null && (soonest == null || block.resetsAt < soonest.block.resetsAt)) {
        soonest = { block, modelId: candidate };
      }
    }

    if (soonest == null) throw lastError;
    if (settings.wait !== true) {
      throw (
        lastError ??
        heldBackError(soonest.block, 'It was not sent: an earlier request found the limit used up.')
      );
    }
    if (soonest.block.resetsAt.getTime() > deadline) {
      throw heldBackError(
        soonest.block,
        `It resets later than the maximum wait (onUsageLimit.maxWaitMs = ${maxWaitMs} ms), so the request was not held.`,
      );
    }
    const started = now();
    const waitMs = soonest.block.resetsAt.getTime() - started;
    settings.onWait?.({ modelId: soonest.modelId, resetsAt: soonest.block.resetsAt, waitMs });
    await delay(waitMs, { abortSignal });
    waitedMs += now() - started;
  }
}

function heldBackError(block: UsageLimitBlock, reason: string): CodexUsageLimitError {
  return new CodexUsageLimitError({
    message: `${usageLimitMessage({ planType: block.planType, resetsAt: block.resetsAt })} ${reason}`,
    url: block.url,
    // Nothing was sent.
    requestBodyValues: undefined,
    responseHeaders: block.responseHeaders,
    resetsAt: block.resetsAt,
    planType: block.planType,
    rateLimits: block.rateLimits,
  });
}
