import { z } from 'zod/v4';
import { bundledModels } from './bundled-models';

/** A model of the Codex catalog (`GET {baseURL}/models`), in the fields this provider uses. */
export type CodexModelInfo = {
  /** The model id (the catalog's `slug`), e.g. `gpt-5.5`. */
  id: string;
  displayName?: string;
  description?: string;
  /** `list` for models the Codex CLI offers in its picker, `hide` for the others. */
  visibility?: string;
  contextWindow?: number;
  defaultReasoningEffort?: string;
  /** Efforts the model accepts, lowest first. */
  supportedReasoningEfforts: string[];
  supportsReasoningSummaries?: boolean;
  supportsVerbosity?: boolean;
  /** `text.verbosity` sent when the caller asks for none, as the Codex CLI does. */
  defaultVerbosity?: string;
  /** `none` for every current model: no reasoning summary unless asked. */
  defaultReasoningSummary?: string;
  /** The effort `ultra` is sent as; without one, `ultra` is sent as `max`. */
  multiAgentReasoningEffort?: string;
  /** Whether the model takes the Responses Lite request shape (tools in an `additional_tools` input item). */
  useResponsesLite?: boolean;
  /** Service tiers the model accepts besides the default, e.g. `priority`. */
  serviceTiers?: string[];
  inputModalities?: string[];
  /** The backend prefers its WebSocket for this model (`prefer_websockets`). */
  preferWebsockets?: boolean;
};

export const modelsResponseSchema = z.object({
  models: z.array(
    z.looseObject({
      slug: z.string(),
      display_name: z.string().nullish(),
      description: z.string().nullish(),
      visibility: z.string().nullish(),
      context_window: z.number().nullish(),
      default_reasoning_level: z.string().nullish(),
      supported_reasoning_levels: z.array(z.looseObject({ effort: z.string() })).nullish(),
      supports_reasoning_summary_parameter: z.boolean().nullish(),
      support_verbosity: z.boolean().nullish(),
      default_verbosity: z.string().nullish(),
      default_reasoning_summary: z.string().nullish(),
      multi_agent_reasoning_effort: z.string().nullish(),
      use_responses_lite: z.boolean().nullish(),
      service_tiers: z.array(z.looseObject({ id: z.string() })).nullish(),
      input_modalities: z.array(z.string()).nullish(),
      prefer_websockets: z.boolean().nullish(),
    }),
  ),
});

export function toModelInfo(model: z.infer<typeof modelsResponseSchema>['models'][number]): CodexModelInfo {
  const info: CodexModelInfo = {
    id: model.slug,
    supportedReasoningEfforts: model.supported_reasoning_levels?.map(level => level.effort) ?? [],
  };
  if (model.display_name != null) info.displayName = model.display_name;
  if (model.description != null) info.description = model.description;
  if (model.visibility != null) info.visibility = model.visibility;
  if (model.context_window != null) info.contextWindow = model.context_window;
  if (model.default_reasoning_level != null) info.defaultReasoningEffort = model.default_reasoning_level;
  if (model.supports_reasoning_summary_parameter != null)
    info.supportsReasoningSummaries = model.supports_reasoning_summary_parameter;
  if (model.support_verbosity != null) info.supportsVerbosity = model.support_verbosity;
  if (model.default_verbosity != null) info.defaultVerbosity = model.default_verbosity;
  if (model.default_reasoning_summary != null) info.defaultReasoningSummary = model.default_reasoning_summary;
  if (model.multi_agent_reasoning_effort != null)
    info.multiAgentReasoningEffort = model.multi_agent_reasoning_effort;
  if (model.use_responses_lite != null) info.useResponsesLite = model.use_responses_lite;
  if (model.service_tiers != null) info.serviceTiers = model.service_tiers.map(tier => tier.id);
  if (model.input_modalities != null) info.inputModalities = model.input_modalities;
  if (model.prefer_websockets != null) info.preferWebsockets = model.prefer_websockets;
  return info;
}

/**
 * The live catalog, fetched at most once per `ttlMs` (the Codex CLI caches it for 5 minutes) with
 * concurrent callers sharing one request. When the backend cannot be reached, the catalog bundled
 * with this package stands in until the next attempt.
 */
export class CodexModelsCatalog {
  private cached: { models: readonly CodexModelInfo[]; expiresAt: number } | undefined;
  private inFlight: Promise<readonly CodexModelInfo[]> | undefined;

  constructor(
    private readonly options: {
      fetchModels: () => Promise<CodexModelInfo[]>;
      /** Whether a failure must reach the caller (e.g. missing credentials) instead of the fallback. */
      isFatal: (error: unknown) => boolean;
      ttlMs?: number;
      now?: () => number;
    },
  ) {}

  /** The catalog; rejects only for fatal errors. */
  list(): Promise<readonly CodexModelInfo[]> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached != null && this.cached.expiresAt > now) return Promise.resolve(this.cached.models);

    this.inFlight ??= this.options
      .fetchModels()
      .catch(error => {
        if (this.options.isFatal(error)) throw error;
        return bundledModels;
      })
      .then(models => {
        this.cached = { models, expiresAt: now + (this.options.ttlMs ?? 300_000) };
        return models;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** The catalog entry of a model from what is already known, without a request. */
  peek(modelId: string): CodexModelInfo | undefined {
    return (this.cached?.models ?? bundledModels).find(model => model.id === modelId);
  }

  /** The catalog entry of a model; any error falls back to the bundled catalog. */
  async find(modelId: string): Promise<CodexModelInfo | undefined> {
    const models = await this.list().catch(() => bundledModels);
    return models.find(model => model.id === modelId);
  }
}
