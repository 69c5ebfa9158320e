/**
 * The checks the Codex backend applies to `POST /responses` bodies, each switchable. Messages are the
 * ones users reported from the live backend (reference/codex-protocol.md §1.8).
 */
export interface ValidationRules {
  /** `store` must be `false` ("Store must be set to false"). Default on. */
  store: boolean;
  /** `stream` must be `true` ("Stream must be set to true"). Default on. */
  stream: boolean;
  /** `input` must be an array ("Input must be a list"). Default on. */
  inputList: boolean;
  /** No `role: "system"` messages in `input` ("System messages are not allowed"). Default on. */
  systemMessages: boolean;
  /** Sampling and limit parameters are rejected ("Unsupported parameter: <name>"), and `service_tier`
   * values other than `auto`/`default`/`priority` ("Unsupported service_tier: flex"). Default on. */
  unsupportedParameters: boolean;
  /** `model` must be in the catalog and allowed for the login's plan. Default on. */
  knownModel: boolean;
  /** Schemas sent for strict mode (`text.format`, function tools) follow OpenAI's strict-mode rules, else a 400
   * in OpenAI's error envelope, `code: "invalid_json_schema"` (see `strict-schema-validation.ts`). Default on. */
  strictSchemas: boolean;
  /** `instructions` must be a non-empty string ("Instructions are required"). Default off: the backend
   * required it in 2025, but the current Codex CLI sends none. */
  instructions: boolean;
  /** The Responses Lite header is refused on a model without `use_responses_lite` (reported for gpt-5.5
   * through clients that sent it to every model). Default on. */
  liteHeaderOnClassicModel: boolean;
  /** With the Lite header, top-level `tools` are refused: they belong in an `additional_tools` item
   * (reported as "hosted tools refused under Lite"). Default on. */
  liteTopLevelTools: boolean;
  /** An `additional_tools` input item without the Lite header is refused. Default on. */
  additionalToolsWithoutLite: boolean;
  /** A Responses Lite model refuses top-level `tools` without the Lite header (reported as tools refused
   * through proxies that dropped the header). Default on. */
  classicToolsOnLiteModel: boolean;
}

export const DEFAULT_VALIDATION_RULES: ValidationRules = {
  store: true,
  stream: true,
  inputList: true,
  systemMessages: true,
  unsupportedParameters: true,
  knownModel: true,
  strictSchemas: true,
  instructions: false,
  liteHeaderOnClassicModel: true,
  liteTopLevelTools: true,
  additionalToolsWithoutLite: true,
  classicToolsOnLiteModel: true,
};

/** The header that marks a request as Responses Lite. */
export const RESPONSES_LITE_HEADER = 'x-openai-internal-codex-responses-lite';

/** Parameters the backend answers with "Unsupported parameter: <name>". */
export const UNSUPPORTED_PARAMETERS = [
  'max_output_tokens',
  'temperature',
  'top_p',
  'truncation',
  'previous_response_id',
  'prompt_cache_retention',
  'response_format',
  'metadata',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'top_logprobs',
  'stop',
] as const;

/** Service tiers the backend accepts (`priority` only for models that list it; `flex` is refused). */
const SUPPORTED_SERVICE_TIERS = ['auto', 'default', 'priority'];

export interface ValidationContext {
  rules: ValidationRules;
  /** Looks a model up in the catalog: `undefined` if unknown, else the plans it is available in. */
  modelPlans: (model: string) => string[] | undefined;
  /** Plan of the authenticated login, when known. */
  planType?: string;
  /** Whether the catalog gives the model `use_responses_lite`. */
  isLiteModel: (model: string) => boolean;
  /** Whether the request carries `x-openai-internal-codex-responses-lite: true`. */
  liteHeader: boolean;
}

/** Returns the backend's `detail` message for the first rule the body breaks, or `undefined`. */
export function validateResponsesBody(body: unknown, context: ValidationContext): string | undefined {
  const { rules } = context;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'Request body must be a JSON object';
  }
  const request = body as Record<string, unknown>;

  if (rules.knownModel) {
    const model = request.model;
    if (typeof model !== 'string' || model.length === 0) return 'Model is required';
    const plans = context.modelPlans(model);
    if (!plans || (context.planType !== undefined && !plans.includes(context.planType))) {
      return `The '${model}' model is not supported when using Codex with a ChatGPT account.`;
    }
  }
  if (rules.instructions && (typeof request.instructions !== 'string' || request.instructions.length === 0)) {
    return 'Instructions are required';
  }
  if (rules.store && request.store !== false) return 'Store must be set to false';
  if (rules.stream && request.stream !== true) return 'Stream must be set to true';
  if (rules.inputList && !Array.isArray(request.input)) return 'Input must be a list';
  if (rules.systemMessages && Array.isArray(request.input)) {
    const hasSystem = request.input.some(
      item => typeof item === 'object' && item !== null && (item as { role?: unknown }).role === 'system',
    );
    if (hasSystem) return 'System messages are not allowed';
  }
  const liteMix = checkResponsesLite(request, context);
  if (liteMix) return liteMix;
  if (rules.unsupportedParameters) {
    const unsupported = UNSUPPORTED_PARAMETERS.find(name => name in request);
    if (unsupported) return `Unsupported parameter: ${unsupported}`;
    const tier = request.service_tier;
    if (tier !== undefined && tier !== null && !SUPPORTED_SERVICE_TIERS.includes(String(tier))) {
      return `Unsupported service_tier: ${String(tier)}`;
    }
  }
  return undefined;
}

/** The mixes of the Responses Lite and classic shapes that clients reported the backend to refuse. */
function checkResponsesLite(
  request: Record<string, unknown>,
  context: ValidationContext,
): string | undefined {
  const { rules, liteHeader } = context;
  const model = typeof request.model === 'string' ? request.model : '';
  const liteModel = context.isLiteModel(model);
  const hasTopLevelTools = Array.isArray(request.tools) && request.tools.length > 0;
  const hasAdditionalTools =
    Array.isArray(request.input) &&
    request.input.some(
      item =>
        typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'additional_tools',
    );

  if (rules.liteHeaderOnClassicModel && liteHeader && !liteModel) {
    return `Responses Lite is not supported for the '${model}' model.`;
  }
  if (rules.liteTopLevelTools && liteHeader && hasTopLevelTools) {
    return 'Top-level tools are not supported with Responses Lite; send them in an additional_tools input item.';
  }
  if (rules.additionalToolsWithoutLite && !liteHeader && hasAdditionalTools) {
    return "Invalid input item type 'additional_tools': it requires Responses Lite.";
  }
  if (rules.classicToolsOnLiteModel && !liteHeader && liteModel && hasTopLevelTools) {
    return `The '${model}' model requires Responses Lite for tools; send the x-openai-internal-codex-responses-lite header and the tools in an additional_tools input item.`;
  }
  return undefined;
}
