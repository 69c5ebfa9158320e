import { type LanguageModelV4StreamPart, TypeValidationError } from '@ai-sdk/provider';
import type { ParseResult } from '@ai-sdk/provider-utils';
import {
  type CodexEvent,
  type CodexOutputItem,
  errorEventSchema,
  responseCreatedEventSchema,
  responseFailedEventSchema,
  responseFinishedEventSchema,
} from '../backend/event-schemas';
import type { CodexEventReader } from '../backend/read-codex-events';
import { convertUsage } from './convert-usage';
import { mapFinishReason } from './map-finish-reason';
import { mapCompaction } from './map-stream-compaction';
import { createCodexStreamError } from './map-stream-error';
import {
  endImageGeneration,
  endWebSearch,
  startImageGeneration,
  startWebSearch,
} from './map-stream-hosted-tool';
import {
  emitCitationSources,
  endMessage,
  endOpenMessage,
  mapAnnotationAdded,
  mapTextDelta,
  startMessage,
} from './map-stream-message';
import {
  endOpenReasoning,
  endReasoning,
  finishReasoningSummaryPart,
  mapReasoningSummaryDelta,
  startReasoning,
  startReasoningSummaryPart,
} from './map-stream-reasoning';
import {
  type ItemState,
  type PartSink,
  parseItem,
  type StreamMapperOptions,
  StreamMappingState,
  validated,
} from './map-stream-state';
import {
  endApplyPatchCall,
  endToolCall,
  mapLocalShellCall,
  mapToolInputDelta,
  startToolInput,
} from './map-stream-tool-call';

export type { StreamMapperOptions } from './map-stream-state';

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
 * as `output_item.done`, and events without `output_index`. Each output item kind has its own mapper
 * (`map-stream-<kind>.ts`: message, reasoning, tool call, hosted tool, compaction); this function routes the events to them and maps the response's own events.
 */
function createStreamTransformer(
  { warnings, includeRawChunks, toolNameMapping, generateId, metadata }: StreamMapperOptions,
  sink: PartSink,
): StreamTransformer {
  const s = new StreamMappingState(sink, toolNameMapping, generateId);

  return {
    start() {
      sink.enqueue({ type: 'stream-start', warnings });
    },

    transform(chunk) {
      if (includeRawChunks) sink.enqueue({ type: 'raw', rawValue: chunk.rawValue });

      if (!chunk.success) {
        s.emitError(chunk.error);
        return;
      }

      const event = chunk.value;
      switch (event.type) {
        case 'response.output_text.delta':
        case 'response.refusal.delta':
          return mapTextDelta(s, event);

        case 'response.reasoning_summary_text.delta':
          return mapReasoningSummaryDelta(s, event);

        case 'response.function_call_arguments.delta':
        case 'response.custom_tool_call_input.delta':
          return mapToolInputDelta(s, event);

        case 'response.reasoning_summary_part.added':
          return startReasoningSummaryPart(s, event);

        case 'response.reasoning_summary_part.done':
          return finishReasoningSummaryPart(s, event);

        case 'response.refusal.done':
          s.hasRefusal = true;
          return;

        case 'response.output_item.added': {
          const item = parseItem(event);
          if (item instanceof TypeValidationError) return s.emitError(item);
          if (item != null) startItem(s, event, item);
          return;
        }

        case 'response.output_item.done': {
          const item = parseItem(event);
          if (item instanceof TypeValidationError) return s.emitError(item);
          if (item == null) return;
          s.completingItem = true;
          try {
            endItem(s, event, item);
          } finally {
            s.completingItem = false;
          }
          return;
        }

        case 'response.output_text.annotation.added':
          return mapAnnotationAdded(s, event);

        case 'response.created': {
          const parsed = validated(responseCreatedEventSchema, event, event);
          if (parsed instanceof TypeValidationError) return s.emitError(parsed);
          const { id, created_at: createdAt, model } = parsed.response;
          s.responseId = id;
          sink.enqueue({
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
          if (parsed instanceof TypeValidationError) return s.emitError(parsed);
          const reason = parsed.response.incomplete_details?.reason;
          if (!s.hasError) {
            s.finishReason = {
              unified: mapFinishReason({
                reason,
                hasFunctionCall: s.hasFunctionCall,
                hasRefusal: s.hasRefusal,
              }),
              raw: reason ?? undefined,
            };
          }
          s.usage = parsed.response.usage;
          s.serviceTier = parsed.response.service_tier ?? undefined;
          return;
        }

        case 'response.failed': {
          const parsed = validated(responseFailedEventSchema, event, event);
          if (parsed instanceof TypeValidationError) return s.emitError(parsed);
          const { error, incomplete_details: incompleteDetails } = parsed.response;
          const reason = incompleteDetails?.reason;
          s.finishReason = {
            unified: reason
              ? mapFinishReason({ reason, hasFunctionCall: s.hasFunctionCall, hasRefusal: false })
              : 'error',
            raw: reason ?? 'error',
          };
          s.usage = parsed.response.usage;
          if (error != null && !s.hasError) {
            s.hasError = true;
            sink.enqueue({ type: 'error', error: createCodexStreamError(error, event) });
          }
          return;
        }

        case 'error': {
          const parsed = validated(errorEventSchema, event, event);
          if (parsed instanceof TypeValidationError) return s.emitError(parsed);
          s.hasError = true;
          s.finishReason = { unified: 'error', raw: 'error' };
          sink.enqueue({ type: 'error', error: createCodexStreamError(parsed, event) });
          return;
        }
      }
    },

    flush() {
      // A stream cut short (or failed mid-item) still ends every part it started; an unfinished tool
      // input ends without a tool call, so nothing runs a call whose input may be incomplete.
      for (const state of s.openItems) endOpenItem(s, state);

      emitCitationSources(s);

      sink.enqueue({
        type: 'finish',
        finishReason: s.finishReason,
        usage: convertUsage(s.usage),
        providerMetadata: {
          codex: {
            responseId: s.responseId ?? null,
            ...(s.serviceTier != null && { serviceTier: s.serviceTier }),
            ...metadata,
          },
        },
      });
    },
  };
}

/** `response.output_item.added`: the item's parts start (items of other kinds start with their `done`). */
function startItem(s: StreamMappingState, event: CodexEvent, item: CodexOutputItem): void {
  switch (item.type) {
    case 'message':
      startMessage(s, event, item.id, item.phase ?? undefined);
      return;
    case 'reasoning':
      startReasoning(s, event, item.id, item.encrypted_content);
      return;
    case 'function_call':
    case 'custom_tool_call':
      startToolInput(s, event, item, s.toolNameMapping.toCustomToolName(item.name));
      return;
    case 'apply_patch_call':
      startToolInput(s, event, item, s.toolNameMapping.toCustomToolName('apply_patch'));
      return;
    case 'web_search_call':
      startWebSearch(s, event, item);
      return;
    case 'image_generation_call':
      startImageGeneration(s, event, item);
      return;
  }
}

/** `response.output_item.done`: the finished item is authoritative, and may be all that arrived of it. */
function endItem(s: StreamMappingState, event: CodexEvent, item: CodexOutputItem) {
  const state = s.finishItem(event, item.id);
  switch (item.type) {
    case 'message':
      return endMessage(s, event, item, state);
    case 'reasoning':
      return endReasoning(s, event, item, state);
    case 'function_call':
    case 'custom_tool_call':
      return endToolCall(s, event, item, state);
    case 'apply_patch_call':
      return endApplyPatchCall(s, event, item, state);
    case 'local_shell_call':
      return mapLocalShellCall(s, item);
    case 'web_search_call':
      return endWebSearch(s, event, item, state);
    case 'image_generation_call':
      return endImageGeneration(s, event, item, state);
    case 'compaction':
      return mapCompaction(s, item);
  }
}

function endOpenItem(s: StreamMappingState, state: ItemState) {
  switch (state.kind) {
    case 'text':
      return endOpenMessage(s, state);
    case 'reasoning':
      return endOpenReasoning(s, state);
    case 'tool-input':
      s.sink.enqueue({ type: 'tool-input-end', id: state.id });
      return;
    case 'hosted':
      return;
  }
}
