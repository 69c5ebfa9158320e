import {
  APICallError,
  type LanguageModelV4,
  type LanguageModelV4CallOptions,
  type LanguageModelV4Content,
  type LanguageModelV4FinishReason,
  type LanguageModelV4GenerateResult,
  type LanguageModelV4StreamPart,
  type LanguageModelV4StreamResult,
  type LanguageModelV4Text,
  type SharedV4ProviderMetadata,
  type SharedV4Warning,
} from '@ai-sdk/provider';
import {
  createNullLanguageModelUsage,
  isCustomReasoning,
  isProviderStreamError,
} from '@ai-sdk/provider-utils';
import type { CodexBackendClient } from './backend/codex-backend-client';
import type { CodexModelsCatalog } from './backend/models-catalog';
import { parseRateLimits } from './backend/rate-limits';
import type { UsageLimitDetour } from './backend/send-within-usage-limits';
import { throwIfStreamFailsBeforeOutput } from './backend/throw-early-stream-error';
import { type CodexTransport, webSocketMode } from './backend/websocket/choose-transport';
import { applyStopSequences } from './responses/apply-stop-sequences';
import type { CodexLanguageModelOptions } from './responses/codex-options';
import { mapEventStream } from './responses/map-stream';
import { parseCodexOptions, prepareRequest } from './responses/prepare-request';

export type CodexLanguageModelConfig = {
  provider: string;
  client: CodexBackendClient;
  generateId: () => string;
  catalog: CodexModelsCatalog;
  /** The provider's transport setting; a call's `providerOptions.codex.transport` wins. */
  transport: CodexTransport;
  /** A custom `fetch` was given: `auto` then keeps to SSE, which goes through it. */
  customFetch: boolean;
};

/**
 * A Codex model as an AI SDK `LanguageModelV4`. The backend only streams, so `doGenerate` collects
 * the same stream `doStream` returns.
 */
export class CodexLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly modelId: string;
  // The backend's handling of remote URLs is unknown: `ai` downloads files and sends their bytes.
  readonly supportedUrls: Record<string, RegExp[]> = {};

  private readonly config: CodexLanguageModelConfig;

  constructor(modelId: string, config: CodexLanguageModelConfig) {
    this.modelId = modelId;
    this.config = config;
  }

  get provider(): string {
    return this.config.provider;
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const codexOptions = await parseCodexOptions(options.providerOptions);
    const { value: sent, detour } = await this.config.client.withinUsageLimits({
      modelId: this.modelId,
      abortSignal: options.abortSignal,
      send: modelId => this.sendTo(modelId, options, codexOptions),
    });
    const { url, body, responseHeaders, events, warnings, toolNameMapping } = sent;

    const rateLimits = parseRateLimits(responseHeaders);
    if (detour != null) warnings.push(detourWarning(detour));
    const metadata = {
      ...(rateLimits != null && { rateLimits }),
      ...(detour != null && { usageLimit: detourMetadata(detour) }),
    };
    const parts = mapEventStream(events, {
      warnings,
      includeRawChunks: options.includeRawChunks === true,
      toolNameMapping,
      generateId: this.config.generateId,
      ...(Object.keys(metadata).length > 0 && { metadata }),
    });
    return {
      // The backend refuses `stop`, so stop sequences end the stream here.
      stream: options.stopSequences?.length
        ? parts.pipeThrough(applyStopSequences(options.stopSequences))
        : parts,
      request: { url, body },
      response: { headers: responseHeaders },
    };
  }

  /** Prepares and sends the request for `modelId`: this model, or a fallback while it is limited. */
  private async sendTo(
    modelId: string,
    options: LanguageModelV4CallOptions,
    codexOptions: CodexLanguageModelOptions | undefined,
  ) {
    // The catalog is fetched only when an option must be checked against it.
    const needsCatalog =
      isCustomReasoning(options.reasoning) ||
      codexOptions?.reasoningEffort != null ||
      codexOptions?.serviceTier != null ||
      codexOptions?.textVerbosity != null;
    const modelInfo = needsCatalog
      ? await this.config.catalog.find(modelId)
      : this.config.catalog.peek(modelId);

    const { body, headers, warnings, toolNameMapping, sessionId } = await prepareRequest({
      modelId,
      options,
      codexOptions,
      modelInfo,
    });

    const { url, responseHeaders, events } = await this.config.client.postResponses({
      body: body as unknown as Record<string, unknown>,
      // The shape's protocol headers win over the caller's.
      headers: { ...options.headers, ...headers },
      sessionId,
      // A prompt that ends with tool results continues the turn of the previous request.
      continuesTurn: options.prompt.at(-1)?.role === 'tool',
      abortSignal: options.abortSignal,
      onDroppedParameter: parameter => warnings.push(droppedParameterWarning(parameter)),
      webSocket: webSocketMode({
        transport: codexOptions?.transport ?? this.config.transport,
        modelInfo,
        customFetch: this.config.customFetch,
      }),
    });

    const checkedEvents = await throwIfStreamFailsBeforeOutput({
      events: events(),
      url,
      requestBodyValues: body,
      responseHeaders,
    });
    return { url, body, responseHeaders, events: checkedEvents, warnings, toolNameMapping };
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const { stream, request, response } = await this.doStream({ ...options, includeRawChunks: false });

    const content: LanguageModelV4Content[] = [];
    const openParts = new Map<string, { text: string; providerMetadata?: SharedV4ProviderMetadata }>();
    let warnings: SharedV4Warning[] = [];
    let finishReason: LanguageModelV4FinishReason = { unified: 'interrupted', raw: undefined };
    let usage = createNullLanguageModelUsage();
    let providerMetadata: SharedV4ProviderMetadata | undefined;
    let metadata: { id?: string; timestamp?: Date; modelId?: string } = {};

    for await (const part of stream as unknown as AsyncIterable<LanguageModelV4StreamPart>) {
      switch (part.type) {
        case 'stream-start':
          warnings = part.warnings;
          break;
        case 'response-metadata':
          metadata = { id: part.id, timestamp: part.timestamp, modelId: part.modelId };
          break;
        case 'text-start':
        case 'reasoning-start': {
          const block = {
            type: part.type === 'text-start' ? ('text' as const) : ('reasoning' as const),
            text: '',
            ...(part.providerMetadata != null && { providerMetadata: part.providerMetadata }),
          };
          openParts.set(part.id, block);
          content.push(block);
          break;
        }
        case 'text-delta':
        case 'reasoning-delta': {
          const block = openParts.get(part.id);
          if (block != null) block.text += part.delta;
          break;
        }
        case 'text-end':
        case 'reasoning-end': {
          const block = openParts.get(part.id);
          if (block == null) break;
          if (part.providerMetadata != null) block.providerMetadata = part.providerMetadata;
          if (part.type === 'text-end' && part.citations != null) {
            (block as LanguageModelV4Text).citations = part.citations;
          }
          openParts.delete(part.id);
          break;
        }
        case 'tool-call':
        case 'tool-result':
        case 'source':
        case 'file':
        case 'custom':
          content.push(part);
          break;
        case 'error':
          throw toThrowable(part.error, request?.url ?? '', request?.body);
        case 'finish':
          finishReason = part.finishReason;
          usage = part.usage;
          providerMetadata = part.providerMetadata;
          break;
      }
    }

    return {
      content,
      ...structuredOutputOf(options, content),
      finishReason,
      usage,
      ...(providerMetadata != null && { providerMetadata }),
      request,
      response: { ...metadata, headers: response?.headers },
      warnings,
    };
  }
}

function detourWarning({
  requestedModelId,
  modelId,
  waitedMs,
  requestedModelResetsAt,
}: UsageLimitDetour): SharedV4Warning {
  const fallback =
    modelId !== requestedModelId
      ? `The usage limit of ${requestedModelId} is reached${requestedModelResetsAt != null ? ` until ${requestedModelResetsAt.toISOString()}` : ''}; the fallback model ${modelId} answered. `
      : '';
  const waited =
    waitedMs > 0 ? `The request waited ${Math.round(waitedMs / 1000)} s for usage limits to reset.` : '';
  return { type: 'other', message: `${fallback}${waited}`.trim() };
}

function detourMetadata({ requestedModelId, modelId, waitedMs, requestedModelResetsAt }: UsageLimitDetour) {
  return {
    requestedModelId,
    modelId,
    waitedMs,
    ...(requestedModelResetsAt != null && { requestedModelResetsAt: requestedModelResetsAt.toISOString() }),
  };
}

function droppedParameterWarning(parameter: string): SharedV4Warning {
  return {
    type: 'other',
    message: `The Codex backend does not accept the parameter "${parameter}"; it was not sent (remembered for this process).`,
  };
}

/** A stream error part as the error `doGenerate` throws. */
function toThrowable(error: unknown, url: string, requestBodyValues: unknown): unknown {
  if (!isProviderStreamError(error)) return error;
  return new APICallError({
    message: error.message,
    url,
    requestBodyValues,
    statusCode: error.statusCode,
    responseBody: JSON.stringify(error.data),
    data: error.data,
    isRetryable: error.isRetryable,
  });
}

/**
 * Codex models may write commentary before their final answer. For JSON output, only the text of
 * the final answer is parsed.
 */
function structuredOutputOf(
  options: LanguageModelV4CallOptions,
  content: LanguageModelV4Content[],
): { structuredOutputText?: string } {
  if (options.responseFormat?.type !== 'json') return {};
  const texts = content.filter((part): part is LanguageModelV4Text => part.type === 'text');
  const finalAnswers = texts.filter(part => part.providerMetadata?.codex?.phase === 'final_answer');
  if (finalAnswers.length === 0 || finalAnswers.length === texts.length) return {};
  return { structuredOutputText: finalAnswers.map(part => part.text).join('') };
}
