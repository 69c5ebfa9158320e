import type { LanguageModelV4CallOptions, SharedV4Warning } from '@ai-sdk/provider';
import { parseProviderOptions, type ToolNameMapping } from '@ai-sdk/provider-utils';
import { RESPONSES_LITE_HEADER } from '../backend/codex-headers';
import type { CodexModelInfo } from '../backend/models-catalog';
import { assignClientItemIds } from './client-item-ids';
import { type CodexLanguageModelOptions, codexLanguageModelOptionsSchema } from './codex-options';
import type { CodexInputItem, CodexRequestBody, CodexTextFormat } from './codex-request';
import { compactionTrigger } from './compaction';
import { convertPrompt } from './convert-prompt';
import { CLIENT_TOOL_NAMESPACE, prepareTools, toAdditionalToolsItem } from './prepare-tools';
import { derivePromptCacheKey } from './prompt-cache-key';
import { resolveReasoningEffort } from './resolve-reasoning';
import { isStrictJsonSchema, toStrictModeSchema } from './strict-json-schema';

// Call settings the backend answers with `400 Unsupported parameter`; they are never sent. (`stopSequences`
// is not sent either: the model applies it to the stream.)
const rejectedSettings = [
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'presencePenalty',
  'frequencyPenalty',
  'seed',
] as const;

export type PreparedRequest = {
  body: CodexRequestBody;
  /** Protocol headers the body's shape needs (the Responses Lite header). */
  headers: Record<string, string>;
  warnings: SharedV4Warning[];
  toolNameMapping: ToolNameMapping;
  /** Sent as the `session-id` header; also the prompt cache key. */
  sessionId: string;
};

/** Reads the provider options; exposed so the model can tell whether it needs the catalog. */
export async function parseCodexOptions(
  providerOptions: LanguageModelV4CallOptions['providerOptions'],
): Promise<CodexLanguageModelOptions | undefined> {
  return parseProviderOptions({
    provider: 'codex',
    providerOptions,
    schema: codexLanguageModelOptionsSchema,
  });
}

/**
 * Builds the request body and the warnings of a call, in the shape the Codex CLI sends the model:
 * Responses Lite for catalog entries with `use_responses_lite` (tools in a leading `additional_tools`
 * item, `reasoning.context: all_turns`, the Lite header), the classic shape for the others. Pure: no I/O.
 */
export async function prepareRequest({
  modelId,
  options,
  codexOptions,
  modelInfo,
}: {
  modelId: string;
  options: LanguageModelV4CallOptions;
  codexOptions: CodexLanguageModelOptions | undefined;
  /** The catalog entry of the model, when known. */
  modelInfo: CodexModelInfo | undefined;
}): Promise<PreparedRequest> {
  const warnings: SharedV4Warning[] = [];

  for (const setting of rejectedSettings) {
    if (options[setting] != null) {
      warnings.push({
        type: 'unsupported',
        feature: setting,
        details: 'The Codex backend does not accept this setting; it was not sent.',
      });
    }
  }

  const tools = await prepareTools({ tools: options.tools, toolChoice: options.toolChoice });
  warnings.push(...tools.warnings);

  const lite = modelInfo?.useResponsesLite === true;
  const prompt = await convertPrompt({
    prompt: options.prompt,
    instructions: codexOptions?.instructions,
    customToolNames: tools.customToolNames,
    ...(lite && { toolNamespace: CLIENT_TOOL_NAMESPACE }),
  });
  warnings.push(...prompt.warnings);

  const effort = resolveReasoningEffort({
    reasoning: options.reasoning,
    providerEffort: codexOptions?.reasoningEffort,
    supportedEfforts: modelInfo?.supportedReasoningEfforts,
    ultraEffort: modelInfo?.multiAgentReasoningEffort,
    warnings,
  });

  let summary = codexOptions?.reasoningSummary ?? (effort === 'none' ? undefined : 'auto');
  if (summary != null && modelInfo?.supportsReasoningSummaries === false) {
    if (codexOptions?.reasoningSummary != null) {
      warnings.push({
        type: 'unsupported',
        feature: 'reasoningSummary',
        details: `${modelId} does not support reasoning summaries; none was requested.`,
      });
    }
    summary = undefined;
  }
  if (summary === 'none') summary = undefined;

  let verbosity = codexOptions?.textVerbosity ?? parseVerbosity(modelInfo?.defaultVerbosity);
  if (verbosity != null && modelInfo?.supportsVerbosity === false) {
    if (codexOptions?.textVerbosity != null) {
      warnings.push({
        type: 'unsupported',
        feature: 'textVerbosity',
        details: `${modelId} does not support textVerbosity; it was not sent.`,
      });
    }
    verbosity = undefined;
  }

  const format = prepareTextFormat(options.responseFormat, codexOptions?.strictJsonSchema, warnings);

  let serviceTier: string | undefined =
    codexOptions?.serviceTier === 'fast' ? 'priority' : codexOptions?.serviceTier;
  if (serviceTier === 'default') serviceTier = undefined;
  if (
    serviceTier != null &&
    modelInfo?.serviceTiers != null &&
    !modelInfo.serviceTiers.includes(serviceTier)
  ) {
    warnings.push({
      type: 'unsupported',
      feature: 'serviceTier',
      details: `${modelId} does not offer the service tier "${serviceTier}"; the default tier was used.`,
    });
    serviceTier = undefined;
  }

  const sessionId =
    codexOptions?.promptCacheKey ??
    (await derivePromptCacheKey({ instructions: prompt.instructions, input: prompt.input }));

  const input: CodexInputItem[] = [
    ...(lite && tools.tools != null ? [toAdditionalToolsItem(tools.tools)] : []),
    ...prompt.input,
    ...(codexOptions?.compact === true ? [compactionTrigger] : []),
  ];
  const parallelToolCalls = codexOptions?.parallelToolCalls ?? (tools.tools != null ? !lite : undefined);

  // Field order as the Codex CLI sends it.
  const body: CodexRequestBody = {
    model: modelId,
    ...(prompt.instructions != null && { instructions: prompt.instructions }),
    stream: true,
    input: await assignClientItemIds(input),
    ...(!lite && tools.tools != null && { tools: tools.tools }),
    ...(tools.toolChoice != null && { tool_choice: tools.toolChoice }),
    ...(parallelToolCalls != null && { parallel_tool_calls: parallelToolCalls }),
    ...((effort != null || summary != null || lite) && {
      reasoning: {
        ...(effort != null && { effort }),
        ...(summary != null && { summary }),
        ...(lite && { context: 'all_turns' as const }),
      },
    }),
    store: false,
    include: ['reasoning.encrypted_content'],
    ...(serviceTier != null && { service_tier: serviceTier }),
    prompt_cache_key: sessionId,
    ...((verbosity != null || format != null) && {
      text: { ...(verbosity != null && { verbosity }), ...(format != null && { format }) },
    }),
  };

  return {
    body,
    headers: lite ? { [RESPONSES_LITE_HEADER]: 'true' } : {},
    warnings,
    toolNameMapping: tools.toolNameMapping,
    sessionId,
  };
}

function parseVerbosity(value: string | undefined): 'low' | 'medium' | 'high' | undefined {
  return value === 'low' || value === 'medium' || value === 'high' ? value : undefined;
}

function prepareTextFormat(
  responseFormat: LanguageModelV4CallOptions['responseFormat'],
  strictJsonSchema: boolean | undefined,
  warnings: SharedV4Warning[],
): CodexTextFormat | undefined {
  if (responseFormat?.type !== 'json') return undefined;
  if (responseFormat.schema == null) return { type: 'json_object' };

  let strict = strictJsonSchema ?? true;
  if (strictJsonSchema == null && !isStrictJsonSchema(responseFormat.schema)) {
    warnings.push({
      type: 'compatibility',
      feature: 'strictJsonSchema',
      details:
        'The schema has optional properties, allows additional ones, is not an object at its root, uses a keyword strict mode refuses (allOf, not, if/then/else) or exceeds its limits (10 levels, 5000 properties); it was sent with strict: false. Make every property required (use .nullable() instead of .optional()) and wrap a top-level union in an object to get strict mode.',
    });
    strict = false;
  }

  return {
    type: 'json_schema',
    name: responseFormat.name ?? 'response',
    ...(responseFormat.description != null && { description: responseFormat.description }),
    // Strict mode refuses `oneOf` but takes the `anyOf` it becomes.
    schema: strict ? toStrictModeSchema(responseFormat.schema) : responseFormat.schema,
    strict,
  };
}
