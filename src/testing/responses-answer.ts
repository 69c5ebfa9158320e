import { defaultTurn } from './default-turn';
import type { EmulatorState } from './emulator-state';
import { exhaustedWindow, usageLimitResponse } from './rate-limit-headers';
import type { RecordedRequest } from './request-log';
import { RESPONSES_LITE_HEADER, type ValidationRules, validateResponsesBody } from './request-validation';
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
    isLiteModel: model => state.models.find(m => m.slug === model)?.use_responses_lite === true,
    liteHeader: isResponsesLite(record, request),
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
  // Like the backend's cache, only the unchanged prefix of the prompt (instructions, tools, input) is reused.
  const prompt = JSON.stringify([request.instructions ?? null, request.tools ?? null, request.input ?? null]);
  const inputTokens = estimateTokens(JSON.stringify(request.input ?? ''));
  const cached = cacheKey ? state.promptCache.get(cacheKey) : undefined;
  const cachedTokens = cached ? Math.min(estimateTokens(commonPrefix(cached, prompt)), inputTokens) : 0;
  if (cacheKey) state.promptCache.set(cacheKey, prompt);
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

/** The Lite header, or over a WebSocket its copy in `client_metadata`. */
function isResponsesLite(record: RecordedRequest, request: Json): boolean {
  const metadata = (request.client_metadata ?? {}) as Json;
  const value =
    record.headers[RESPONSES_LITE_HEADER] ??
    metadata[`ws_request_header_${RESPONSES_LITE_HEADER.replaceAll('-', '_')}`];
  return typeof value === 'string' && value.toLowerCase() === 'true';
}

function commonPrefix(a: string, b: string): string {
  let length = 0;
  while (length < a.length && length < b.length && a.charCodeAt(length) === b.charCodeAt(length)) length++;
  return a.slice(0, length);
}
