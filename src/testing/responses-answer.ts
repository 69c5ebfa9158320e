import { defaultTurn } from './default-turn';
import type { EmulatorState } from './emulator-state';
import { exhaustedWindow, usageLimitResponse } from './rate-limit-headers';
import type { RecordedRequest } from './request-log';
import { type ValidationRules, validateResponsesBody } from './request-validation';
import { estimateTokens, expandTurn } from './response-events';
import type { ScriptedResponse } from './scripting';
import { validateStrictSchemas } from './strict-schema-validation';

type Json = Record<string, unknown>;

/** What the emulator answers a readable, authenticated `/responses` request, whatever the transport. */
export type ResponsesAnswer =
  | { type: 'rejected'; status: number; body: unknown; headers: Record<string, string> }
  | { type: 'scripted'; scripted: ScriptedResponse; events: () => Json[] };

/**
 * Applies the usage limit and the validation rules, then takes the next scripted answer (or the default
 * turn). `request` is the conversation as the backend sees it: over a WebSocket, the input of the previous
 * response already joined with the new items.
 */
export function answerResponses(
  state: EmulatorState,
  record: RecordedRequest,
  request: Json,
  options: { planType?: string; rules?: Partial<ValidationRules> },
): ResponsesAnswer {
  const nowSeconds = Math.floor(state.now() / 1000);
  const window = state.usageWindow?.limits(request?.model) ? state.usageWindow : undefined;
  const resetsAt = state.usageWindow ? window?.exhaustedUntil(nowSeconds) : staticResetAt(state, nowSeconds);
  if (resetsAt != null) {
    state.counters.usageLimitRejections += 1;
    const limit = usageLimitResponse({ planType: options.planType ?? 'plus', resetsAt, nowSeconds });
    return { type: 'rejected', ...limit };
  }
  const rules = { ...state.validation, ...options.rules };
  const invalid = validateResponsesBody(request, {
    rules,
    modelPlans: model => state.models.find(m => m.slug === model)?.available_in_plans,
    ...(options.planType ? { planType: options.planType } : {}),
  });
  if (invalid) {
    state.counters.badRequests += 1;
    return { type: 'rejected', status: 400, body: { detail: invalid }, headers: {} };
  }
  // Schema errors come from the model layer, in OpenAI's error envelope.
  const invalidSchema = rules.strictSchemas ? validateStrictSchemas(request) : undefined;
  if (invalidSchema) {
    state.counters.badRequests += 1;
    const error = { ...invalidSchema, type: 'invalid_request_error', code: 'invalid_json_schema' };
    return { type: 'rejected', status: 400, body: { error }, headers: {} };
  }

  window?.count(nowSeconds);
  const scripted =
    state.script.next(record) ??
    defaultTurn(
      request,
      state.models.find(model => model.slug === request.model),
    );
  const cacheKey = typeof request.prompt_cache_key === 'string' ? request.prompt_cache_key : undefined;
  const inputTokens = estimateTokens(JSON.stringify(request.input ?? ''));
  const cachedTokens = cacheKey ? Math.min(state.promptCache.get(cacheKey) ?? 0, inputTokens) : 0;
  if (cacheKey) state.promptCache.set(cacheKey, inputTokens);
  return {
    type: 'scripted',
    scripted,
    events: () =>
      scripted.type === 'turn' ? expandTurn(scripted, { request, now: nowSeconds, cachedTokens }) : [],
  };
}

/** The reset time of an exhausted window of `rateLimits`, if one is. */
function staticResetAt(state: EmulatorState, nowSeconds: number): number | undefined {
  const exhausted = exhaustedWindow(state.rateLimits);
  return exhausted && (exhausted.resetAt ?? nowSeconds + exhausted.windowMinutes * 60);
}
