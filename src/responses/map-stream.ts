import {
  type JSONObject,
  type LanguageModelV4Citation,
  type LanguageModelV4FinishReason,
  type LanguageModelV4StreamPart,
  type SharedV4Warning,
  TypeValidationError,
} from '@ai-sdk/provider';
import type { ParseResult, ToolNameMapping } from '@ai-sdk/provider-utils';
import type { z } from 'zod/v4';
import {
  annotationAddedEventSchema,
  annotationSchema,
  type CodexAnnotation,
  type CodexEvent,
  type CodexOutputItem,
  type CodexUsage,
  errorEventSchema,
  outputItemSchemas,
  responseCreatedEventSchema,
  responseFailedEventSchema,
  responseFinishedEventSchema,
} from '../backend/event-schemas';
import type { CodexEventReader } from '../backend/read-codex-events';
import { convertUsage } from './convert-usage';
import { mapFinishReason } from './map-finish-reason';
import { createCodexStreamError } from './map-stream-error';

type PartState = 'active' | 'can-conclude' | 'concluded';

/** What the mapping remembers about one output item between its `added` and `done` events. */
type ItemState = {
  /** The parts the item opened, so that a stream that stops early can still end them. */
  kind: 'text' | 'reasoning' | 'tool-input' | 'hosted';
  /** The id of the stream parts: the item id for text and reasoning, the call id for tools. */
  id: string;
  /** Whether deltas were streamed (if not, `done` supplies the content). */
  streamed: boolean;
  phase?: 'commentary' | 'final_answer';
  encryptedContent?: string | null;
  /** Reasoning summary parts by index. */
  summaryParts?: PartState[];
};

export type StreamMapperOptions = {
  warnings: SharedV4Warning[];
  includeRawChunks: boolean;
  toolNameMapping: ToolNameMapping;
  generateId: () => string;
  /** Extra entries for `providerMetadata.codex` of the finish part (e.g. rate limits). */
  metadata?: JSONObject;
};

/** Where the mapping writes stream parts. */
type PartSink = { enqueue(part: LanguageModelV4StreamPart): void };

type StreamTransformer = {
  start(): void;
  transform(chunk: ParseResult<CodexEvent>): void;
  flush(): void;
};

/**
 * The stream parts of the events, mapped in the pull of the one `ReadableStream` the model returns: a
 * `TransformStream` would add a writable side to every event, which costs more than mapping it.
 */
export function mapEventStream(
  events: CodexEventReader,
  options: StreamMapperOptions,
): ReadableStream<LanguageModelV4StreamPart> {
  let target: ReadableStreamDefaultController<LanguageModelV4StreamPart>;
  let enqueued = false;
  const transformer = createStreamTransformer(options, {
    enqueue(part) {
      enqueued = true;
      target.enqueue(part);
    },
  });
  // Promise callbacks rather than an async pull: one promise less for every token.
  const onEvent = (result: ReadableStreamReadResult<ParseResult<CodexEvent>>): Promise<void> | undefined => {
    if (result.done) {
      transformer.flush();
      target.close();
      return;
    }
    transformer.transform(result.value);
    // A pull must enqueue something (or close): events that map to no part are read past.
    return enqueued ? undefined : events.read().then(onEvent);
  };
  return new ReadableStream<LanguageModelV4StreamPart>(
    {
      start: controller => {
        target = controller;
        transformer.start();
      },
      pull: () => {
        enqueued = false;
        return events.read().then(onEvent);
      },
      cancel: reason => events.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/**
 * Maps Responses SSE events to `LanguageModelV4StreamPart`s, following `@ai-sdk/openai`'s Responses
 * model (ids, reasoning parts per summary part, sources, finish reasons) with what the Codex backend
 * adds: `store:false` (reasoning parts end with the final encrypted content), items that arrive only
 * as `output_item.done`, and events without `output_index`.
 */
function createStreamTransformer(
  { warnings, includeRawChunks, toolNameMapping, generateId, metadata }: StreamMapperOptions,
  // Where the parts go (the helpers below write to it).
  controller: PartSink,
): StreamTransformer {
  // A stream that ends without a completion event was interrupted.
  let finishReason: LanguageModelV4FinishReason = { unified: 'interrupted', raw: undefined };
  let usage: CodexUsage | null | undefined;
  let responseId: string | undefined;
  let serviceTier: string | undefined;
  let hasFunctionCall = false;
  let hasRefusal = false;
  let hasError = false;
  let hasWebSearchActionSources = false;

  // Items are found by output_index (item ids may rotate between events) and else by item id.
  const itemsByIndex: Array<ItemState | undefined> = [];
  const itemsById = new Map<string, ItemState>();
  // Items started and not yet done; an item that arrives only as `output_item.done` is never open.
  const openItems = new Set<ItemState>();
  let completingItem = false;
  let annotations: Array<Record<string, unknown>> = [];
  const citationAnnotations: CodexAnnotation[] = [];

  const webSearchToolName = toolNameMapping.toCustomToolName('web_search');

  function findItem(event: CodexEvent): ItemState | undefined {
    const index = event.output_index;
    const state = typeof index === 'number' ? itemsByIndex[index] : undefined;
    if (state != null) return state;
    const itemId = event.item_id;
    return typeof itemId === 'string' ? itemsById.get(itemId) : undefined;
  }

  function track(event: CodexEvent, itemId: string | null | undefined, state: ItemState) {
    const index = event.output_index;
    if (typeof index === 'number') itemsByIndex[index] = state;
    if (itemId != null) itemsById.set(itemId, state);
    if (!completingItem) openItems.add(state);
  }

  function untrack(event: CodexEvent, itemId: string | null | undefined) {
    const index = event.output_index;
    if (typeof index === 'number') {
      const state = itemsByIndex[index];
      if (state != null) openItems.delete(state);
      itemsByIndex[index] = undefined;
    }
    if (itemId != null) {
      const state = itemsById.get(itemId);
      if (state != null) openItems.delete(state);
      itemsById.delete(itemId);
    }
  }

  function parseItem(event: CodexEvent): CodexOutputItem | TypeValidationError | undefined {
    const item = event.item as { type?: unknown } | undefined;
    const schema =
      typeof item?.type === 'string'
        ? outputItemSchemas[item.type as keyof typeof outputItemSchemas]
        : undefined;
    // Item kinds this provider does not map (e.g. compaction) are skipped.
    if (schema == null) return undefined;
    return validated(schema as z.ZodType<CodexOutputItem>, item, event);
  }

  function emitError(error: unknown) {
    hasError = true;
    finishReason = { unified: 'error', raw: undefined };
    controller.enqueue({ type: 'error', error });
  }

  function emitInvalid(value: CodexEvent) {
    emitError(
      new TypeValidationError({
        value,
        cause: new Error(`Unexpected fields in a ${value.type} event.`),
      }),
    );
  }

  function startMessage(event: CodexEvent, itemId: string | null | undefined, phase?: ItemState['phase']) {
    const state: ItemState = { kind: 'text', id: itemId ?? generateId(), streamed: false, phase };
    track(event, itemId, state);
    annotations = [];
    controller.enqueue({
      type: 'text-start',
      id: state.id,
      providerMetadata: { codex: { itemId: state.id, ...(phase != null && { phase }) } },
    });
    return state;
  }

  function startReasoning(
    event: CodexEvent,
    itemId: string | null | undefined,
    encryptedContent?: string | null,
  ) {
    const state: ItemState = {
      kind: 'reasoning',
      id: itemId ?? generateId(),
      streamed: false,
      encryptedContent,
      summaryParts: ['active'],
    };
    track(event, itemId, state);
    controller.enqueue({
      type: 'reasoning-start',
      id: `${state.id}:0`,
      providerMetadata: {
        codex: { itemId: state.id, reasoningEncryptedContent: encryptedContent ?? null },
      },
    });
    return state;
  }

  function startToolInput(event: CodexEvent, item: CodexOutputItem & { call_id: string }, toolName: string) {
    const state: ItemState = { kind: 'tool-input', id: item.call_id, streamed: false };
    track(event, item.id, state);
    controller.enqueue({
      type: 'tool-input-start',
      id: item.call_id,
      toolName,
      // A custom tool's input is raw text, not JSON.
      ...(item.type === 'custom_tool_call' && { inputEncoding: 'text' as const }),
    });
    return state;
  }

  function startHostedToolCall(event: CodexEvent, item: { id: string }, toolName: string) {
    track(event, item.id, { kind: 'hosted', id: item.id, streamed: false });
    controller.enqueue({
      type: 'tool-call',
      toolCallId: item.id,
      toolName,
      input: '{}',
      providerExecuted: true,
    });
  }

  function onItemAdded(event: CodexEvent, item: CodexOutputItem) {
    switch (item.type) {
      case 'message':
        startMessage(event, item.id, item.phase ?? undefined);
        return;
      case 'reasoning':
        startReasoning(event, item.id, item.encrypted_content);
        return;
      case 'function_call':
      case 'custom_tool_call':
        startToolInput(event, item, toolNameMapping.toCustomToolName(item.name));
        return;
      case 'apply_patch_call':
        startToolInput(event, item, toolNameMapping.toCustomToolName('apply_patch'));
        return;
      case 'web_search_call':
        controller.enqueue({
          type: 'tool-input-start',
          id: item.id,
          toolName: webSearchToolName,
          providerExecuted: true,
        });
        controller.enqueue({ type: 'tool-input-end', id: item.id });
        startHostedToolCall(event, item, webSearchToolName);
        return;
      case 'image_generation_call':
        startHostedToolCall(event, item, toolNameMapping.toCustomToolName('image_generation'));
        return;
    }
  }

  function onItemDone(event: CodexEvent, item: CodexOutputItem) {
    const state = findItem(event) ?? (item.id != null ? itemsById.get(item.id) : undefined);
    untrack(event, item.id);
    if (state != null) openItems.delete(state);

    switch (item.type) {
      case 'message': {
        const message = state ?? startMessage(event, item.id, item.phase ?? undefined);
        untrack(event, item.id);
        // The done item is authoritative: it carries the text when nothing was streamed.
        if (!message.streamed) {
          for (const part of item.content ?? []) {
            const text = part.type === 'refusal' ? part.refusal : part.text;
            if (part.type === 'refusal') hasRefusal = true;
            if (text != null && text.length > 0) {
              controller.enqueue({ type: 'text-delta', id: message.id, delta: text });
            }
          }
        }
        const phase = item.phase ?? message.phase;
        const citations = citationsOf(annotations);
        controller.enqueue({
          type: 'text-end',
          id: message.id,
          ...(citations != null && { citations }),
          providerMetadata: {
            codex: {
              itemId: message.id,
              ...(phase != null && { phase }),
              ...(annotations.length > 0 && { annotations: annotations as JSONObject[] }),
            },
          },
        });
        return;
      }

      case 'reasoning': {
        let reasoning = state;
        if (reasoning == null) {
          // Only the finished item arrived: replay its summary parts.
          const summary = item.summary ?? [];
          reasoning = startReasoning(event, item.id, item.encrypted_content);
          untrack(event, item.id);
          for (const [index, part] of summary.entries()) {
            if (index > 0) {
              reasoning.summaryParts![index] = 'active';
              controller.enqueue({ type: 'reasoning-start', id: `${reasoning.id}:${index}` });
            }
            controller.enqueue({
              type: 'reasoning-delta',
              id: `${reasoning.id}:${index}`,
              delta: part.text,
            });
          }
        }
        const parts = reasoning.summaryParts ?? [];
        for (let index = 0; index < parts.length; index++) {
          if (parts[index] === 'active' || parts[index] === 'can-conclude') {
            controller.enqueue({
              type: 'reasoning-end',
              id: `${reasoning.id}:${index}`,
              providerMetadata: {
                codex: {
                  itemId: reasoning.id,
                  reasoningEncryptedContent: item.encrypted_content ?? null,
                },
              },
            });
          }
        }
        return;
      }

      case 'function_call':
      case 'custom_tool_call': {
        const toolName = toolNameMapping.toCustomToolName(item.name);
        if (state == null) startToolInput(event, item, toolName);
        untrack(event, item.id);
        hasFunctionCall = true;
        controller.enqueue({ type: 'tool-input-end', id: item.call_id });
        controller.enqueue({
          type: 'tool-call',
          toolCallId: item.call_id,
          toolName,
          // A custom tool's input is raw text; the tool's input schema is a string.
          input: item.type === 'function_call' ? (item.arguments ?? '') : JSON.stringify(item.input ?? ''),
          ...(item.id != null && { providerMetadata: { codex: { itemId: item.id } } }),
        });
        return;
      }

      case 'web_search_call': {
        const action = item.action;
        if (state == null) startHostedToolCall(event, item, webSearchToolName);
        untrack(event, item.id);
        controller.enqueue({
          type: 'tool-result',
          toolCallId: item.id,
          toolName: webSearchToolName,
          ...(item.status === 'completed'
            ? {
                result:
                  action == null
                    ? {}
                    : action.type === 'search'
                      ? {
                          action: {
                            type: 'search',
                            ...(action.query != null && { query: action.query }),
                            ...(action.queries != null && { queries: action.queries }),
                          },
                          ...(action.sources != null && { sources: action.sources }),
                        }
                      : action.type === 'open_page'
                        ? { action: { type: 'openPage', url: action.url ?? null } }
                        : {
                            action: {
                              type: 'findInPage',
                              url: action.url ?? null,
                              pattern: action.pattern ?? null,
                            },
                          },
              }
            : { isError: true, result: { status: item.status ?? 'unknown' } }),
        });
        if (action?.type === 'search') {
          for (const source of action.sources ?? []) {
            if (source.type !== 'url') continue;
            hasWebSearchActionSources = true;
            controller.enqueue({ type: 'source', sourceType: 'url', id: generateId(), url: source.url });
          }
        }
        return;
      }

      case 'local_shell_call':
        controller.enqueue({
          type: 'tool-call',
          toolCallId: item.call_id,
          toolName: toolNameMapping.toCustomToolName('local_shell'),
          input: JSON.stringify({
            action: {
              type: 'exec',
              command: item.action.command,
              timeoutMs: item.action.timeout_ms ?? undefined,
              user: item.action.user ?? undefined,
              workingDirectory: item.action.working_directory ?? undefined,
              env: item.action.env ?? undefined,
            },
          }),
          ...(item.id != null && { providerMetadata: { codex: { itemId: item.id } } }),
        });
        return;

      case 'apply_patch_call': {
        const toolName = toolNameMapping.toCustomToolName('apply_patch');
        if (state == null) startToolInput(event, item, toolName);
        untrack(event, item.id);
        controller.enqueue({ type: 'tool-input-end', id: item.call_id });
        if (item.status === 'completed') {
          hasFunctionCall = true;
          controller.enqueue({
            type: 'tool-call',
            toolCallId: item.call_id,
            toolName,
            input: JSON.stringify({ callId: item.call_id, operation: item.operation }),
            ...(item.id != null && { providerMetadata: { codex: { itemId: item.id } } }),
          });
        }
        return;
      }

      case 'image_generation_call':
        if (state == null)
          startHostedToolCall(event, item, toolNameMapping.toCustomToolName('image_generation'));
        untrack(event, item.id);
        controller.enqueue({
          type: 'tool-result',
          toolCallId: item.id,
          toolName: toolNameMapping.toCustomToolName('image_generation'),
          result: { result: item.result ?? null },
        });
        return;
    }
  }

  return {
    start() {
      controller.enqueue({ type: 'stream-start', warnings });
    },

    transform(chunk) {
      if (includeRawChunks) controller.enqueue({ type: 'raw', rawValue: chunk.rawValue });

      if (!chunk.success) {
        emitError(chunk.error);
        return;
      }

      const event = chunk.value;
      switch (event.type) {
        // The hot path: one event per token. Checked field by field, no schema.
        case 'response.output_text.delta':
        case 'response.refusal.delta': {
          const delta = event.delta;
          if (typeof delta !== 'string') return emitInvalid(event);
          const state = findItem(event) ?? startMessage(event, event.item_id as string | undefined);
          state.streamed = true;
          if (event.type === 'response.refusal.delta') hasRefusal = true;
          controller.enqueue({ type: 'text-delta', id: state.id, delta });
          return;
        }

        case 'response.reasoning_summary_text.delta': {
          const delta = event.delta;
          const summaryIndex = event.summary_index;
          if (typeof delta !== 'string' || typeof summaryIndex !== 'number') return emitInvalid(event);
          const state = findItem(event);
          if (state == null) return;
          state.streamed = true;
          controller.enqueue({ type: 'reasoning-delta', id: `${state.id}:${summaryIndex}`, delta });
          return;
        }

        case 'response.function_call_arguments.delta':
        case 'response.custom_tool_call_input.delta': {
          const delta = event.delta;
          if (typeof delta !== 'string') return emitInvalid(event);
          const state = findItem(event);
          if (state == null) return;
          state.streamed = true;
          controller.enqueue({ type: 'tool-input-delta', id: state.id, delta });
          return;
        }

        case 'response.reasoning_summary_part.added': {
          const summaryIndex = event.summary_index;
          if (typeof summaryIndex !== 'number') return emitInvalid(event);
          const state = findItem(event);
          const parts = state?.summaryParts;
          // Part 0 was started with the item.
          if (state == null || parts == null || summaryIndex === 0) return;
          // A new part lets the finished ones end (they no longer wait for the encrypted content).
          for (let index = 0; index < parts.length; index++) {
            if (parts[index] === 'can-conclude') {
              controller.enqueue({
                type: 'reasoning-end',
                id: `${state.id}:${index}`,
                providerMetadata: { codex: { itemId: state.id } },
              });
              parts[index] = 'concluded';
            }
          }
          parts[summaryIndex] = 'active';
          controller.enqueue({
            type: 'reasoning-start',
            id: `${state.id}:${summaryIndex}`,
            providerMetadata: {
              codex: { itemId: state.id, reasoningEncryptedContent: state.encryptedContent ?? null },
            },
          });
          return;
        }

        case 'response.reasoning_summary_part.done': {
          const summaryIndex = event.summary_index;
          const parts = findItem(event)?.summaryParts;
          // With store:false the part ends only when the item's encrypted content is known.
          if (typeof summaryIndex === 'number' && parts?.[summaryIndex] === 'active') {
            parts[summaryIndex] = 'can-conclude';
          }
          return;
        }

        case 'response.refusal.done':
          hasRefusal = true;
          return;

        case 'response.output_item.added': {
          const item = parseItem(event);
          if (item instanceof TypeValidationError) return emitError(item);
          if (item != null) onItemAdded(event, item);
          return;
        }

        case 'response.output_item.done': {
          const item = parseItem(event);
          if (item instanceof TypeValidationError) return emitError(item);
          if (item == null) return;
          completingItem = true;
          try {
            onItemDone(event, item);
          } finally {
            completingItem = false;
          }
          return;
        }

        case 'response.output_text.annotation.added': {
          const parsed = validated(annotationAddedEventSchema, event, event);
          if (parsed instanceof TypeValidationError) return emitError(parsed);
          annotations.push(parsed.annotation);
          const citation = annotationSchema.safeParse(parsed.annotation);
          // Web search events may still follow: sources are decided at the end.
          if (citation.success) citationAnnotations.push(citation.data);
          return;
        }

        case 'response.created': {
          const parsed = validated(responseCreatedEventSchema, event, event);
          if (parsed instanceof TypeValidationError) return emitError(parsed);
          const { id, created_at: createdAt, model } = parsed.response;
          responseId = id;
          controller.enqueue({
            type: 'response-metadata',
            id,
            ...(createdAt != null && { timestamp: new Date(createdAt * 1000) }),
            ...(model != null && { modelId: model }),
          });
          return;
        }

        case 'response.completed':
        case 'response.incomplete': {
          const parsed = validated(responseFinishedEventSchema, event, event);
          if (parsed instanceof TypeValidationError) return emitError(parsed);
          const reason = parsed.response.incomplete_details?.reason;
          if (!hasError) {
            finishReason = {
              unified: mapFinishReason({ reason, hasFunctionCall, hasRefusal }),
              raw: reason ?? undefined,
            };
          }
          usage = parsed.response.usage;
          serviceTier = parsed.response.service_tier ?? undefined;
          return;
        }

        case 'response.failed': {
          const parsed = validated(responseFailedEventSchema, event, event);
          if (parsed instanceof TypeValidationError) return emitError(parsed);
          const { error, incomplete_details: incompleteDetails } = parsed.response;
          const reason = incompleteDetails?.reason;
          finishReason = {
            unified: reason ? mapFinishReason({ reason, hasFunctionCall, hasRefusal: false }) : 'error',
            raw: reason ?? 'error',
          };
          usage = parsed.response.usage;
          if (error != null && !hasError) {
            hasError = true;
            controller.enqueue({ type: 'error', error: createCodexStreamError(error, event) });
          }
          return;
        }

        case 'error': {
          const parsed = validated(errorEventSchema, event, event);
          if (parsed instanceof TypeValidationError) return emitError(parsed);
          hasError = true;
          finishReason = { unified: 'error', raw: 'error' };
          controller.enqueue({
            type: 'error',
            error: createCodexStreamError(parsed, event),
          });
          return;
        }
      }
    },

    flush() {
      // A stream cut short (or failed mid-item) still ends every part it started; an unfinished tool
      // input ends without a tool call, so nothing runs a call whose input may be incomplete.
      for (const state of openItems) endParts(state, controller);

      // Citations become sources unless the web search already listed its sources.
      for (const annotation of citationAnnotations) {
        if (annotation.type === 'url_citation' && hasWebSearchActionSources) continue;
        controller.enqueue(sourceOf(annotation, generateId()));
      }

      controller.enqueue({
        type: 'finish',
        finishReason,
        usage: convertUsage(usage),
        providerMetadata: {
          codex: {
            responseId: responseId ?? null,
            ...(serviceTier != null && { serviceTier }),
            ...metadata,
          },
        },
      });
    },
  };
}

function endParts(state: ItemState, controller: PartSink) {
  switch (state.kind) {
    case 'text':
      controller.enqueue({
        type: 'text-end',
        id: state.id,
        providerMetadata: { codex: { itemId: state.id, ...(state.phase != null && { phase: state.phase }) } },
      });
      return;
    case 'reasoning':
      state.summaryParts?.forEach((part, index) => {
        if (part === 'concluded') return;
        controller.enqueue({
          type: 'reasoning-end',
          id: `${state.id}:${index}`,
          providerMetadata: {
            codex: { itemId: state.id, reasoningEncryptedContent: state.encryptedContent ?? null },
          },
        });
      });
      return;
    case 'tool-input':
      controller.enqueue({ type: 'tool-input-end', id: state.id });
      return;
    case 'hosted':
      return;
  }
}

function validated<T>(schema: z.ZodType<T>, value: unknown, event: CodexEvent): T | TypeValidationError {
  const result = schema.safeParse(value);
  return result.success ? result.data : new TypeValidationError({ value: event, cause: result.error });
}

function sourceOf(
  annotation: CodexAnnotation,
  id: string,
): Extract<LanguageModelV4StreamPart, { type: 'source' }> {
  return annotation.type === 'url_citation'
    ? { type: 'source', sourceType: 'url', id, url: annotation.url, title: annotation.title ?? undefined }
    : {
        type: 'source',
        sourceType: 'document',
        id,
        mediaType: 'text/plain',
        title: annotation.filename ?? annotation.file_id,
        filename: annotation.filename ?? annotation.file_id,
        providerMetadata: { codex: { type: annotation.type, fileId: annotation.file_id } },
      };
}

function citationsOf(annotations: Array<Record<string, unknown>>): LanguageModelV4Citation[] | undefined {
  const citations: LanguageModelV4Citation[] = [];
  for (const raw of annotations) {
    const parsed = annotationSchema.safeParse(raw);
    if (!parsed.success) continue;
    const annotation = parsed.data;
    citations.push({
      source: sourceOf(annotation, annotation.type === 'url_citation' ? annotation.url : annotation.file_id),
      ...(annotation.type === 'url_citation' &&
        annotation.start_index != null && { startIndex: annotation.start_index }),
      ...(annotation.type === 'url_citation' &&
        annotation.end_index != null && { endIndex: annotation.end_index }),
    });
  }
  return citations.length > 0 ? citations : undefined;
}
