import {
  type JSONObject,
  type LanguageModelV4FinishReason,
  type LanguageModelV4StreamPart,
  type SharedV4Warning,
  TypeValidationError,
} from '@ai-sdk/provider';
import type { ToolNameMapping } from '@ai-sdk/provider-utils';
import type { z } from 'zod/v4';
import {
  type CodexAnnotation,
  type CodexEvent,
  type CodexOutputItem,
  type CodexUsage,
  outputItemSchemas,
} from '../backend/event-schemas';

export type StreamMapperOptions = {
  warnings: SharedV4Warning[];
  includeRawChunks: boolean;
  toolNameMapping: ToolNameMapping;
  generateId: () => string;
  /** Extra entries for `providerMetadata.codex` of the finish part (e.g. rate limits). */
  metadata?: JSONObject;
};

/** Where the mapping writes stream parts. */
export type PartSink = { enqueue(part: LanguageModelV4StreamPart): void };

export type PartState = 'active' | 'can-conclude' | 'concluded';

/** What the mapping remembers about one output item between its `added` and `done` events. */
export type ItemState = {
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

/** An output item of one kind, as its schema parsed it. */
export type OutputItem<T extends CodexOutputItem['type']> = Extract<CodexOutputItem, { type: T }>;

/**
 * The state of one response's mapping, shared by the mappers of each output item kind: the open items,
 * what decides the finish reason, and where parts go. One object per response; events allocate nothing here.
 */
export class StreamMappingState {
  readonly sink: PartSink;
  readonly toolNameMapping: ToolNameMapping;
  readonly generateId: () => string;
  readonly webSearchToolName: string;

  // A stream that ends without a completion event was interrupted.
  finishReason: LanguageModelV4FinishReason = { unified: 'interrupted', raw: undefined };
  usage: CodexUsage | null | undefined;
  responseId: string | undefined;
  serviceTier: string | undefined;
  hasFunctionCall = false;
  hasRefusal = false;
  hasError = false;
  hasWebSearchActionSources = false;

  // Items are found by output_index (item ids may rotate between events) and else by item id.
  private readonly itemsByIndex: Array<ItemState | undefined> = [];
  private readonly itemsById = new Map<string, ItemState>();
  /** Items started and not yet done; an item that arrives only as `output_item.done` is never open. */
  readonly openItems = new Set<ItemState>();
  /** Set while an `output_item.done` is mapped: the parts it starts end with it, so are not open. */
  completingItem = false;
  /** The annotations of the message being streamed. */
  annotations: Array<Record<string, unknown>> = [];
  readonly citationAnnotations: CodexAnnotation[] = [];

  constructor(sink: PartSink, toolNameMapping: ToolNameMapping, generateId: () => string) {
    this.sink = sink;
    this.toolNameMapping = toolNameMapping;
    this.generateId = generateId;
    this.webSearchToolName = toolNameMapping.toCustomToolName('web_search');
  }

  findItem(event: CodexEvent): ItemState | undefined {
    const index = event.output_index;
    const state = typeof index === 'number' ? this.itemsByIndex[index] : undefined;
    if (state != null) return state;
    const itemId = event.item_id;
    return typeof itemId === 'string' ? this.itemsById.get(itemId) : undefined;
  }

  /** The state of an item being finished, from its event or its id; it is no longer open. */
  finishItem(event: CodexEvent, itemId: string | null | undefined): ItemState | undefined {
    const state = this.findItem(event) ?? (itemId != null ? this.itemsById.get(itemId) : undefined);
    this.untrack(event, itemId);
    if (state != null) this.openItems.delete(state);
    return state;
  }

  track(event: CodexEvent, itemId: string | null | undefined, state: ItemState): void {
    const index = event.output_index;
    if (typeof index === 'number') this.itemsByIndex[index] = state;
    if (itemId != null) this.itemsById.set(itemId, state);
    if (!this.completingItem) this.openItems.add(state);
  }

  untrack(event: CodexEvent, itemId: string | null | undefined): void {
    const index = event.output_index;
    if (typeof index === 'number') {
      const state = this.itemsByIndex[index];
      if (state != null) this.openItems.delete(state);
      this.itemsByIndex[index] = undefined;
    }
    if (itemId != null) {
      const state = this.itemsById.get(itemId);
      if (state != null) this.openItems.delete(state);
      this.itemsById.delete(itemId);
    }
  }

  emitError(error: unknown): void {
    this.hasError = true;
    this.finishReason = { unified: 'error', raw: undefined };
    this.sink.enqueue({ type: 'error', error });
  }

  emitInvalid(value: CodexEvent): void {
    this.emitError(
      new TypeValidationError({
        value,
        cause: new Error(`Unexpected fields in a ${value.type} event.`),
      }),
    );
  }
}

/** The event's item, parsed by its kind's schema; `undefined` for kinds this provider does not map. */
export function parseItem(event: CodexEvent): CodexOutputItem | TypeValidationError | undefined {
  const item = event.item as { type?: unknown } | undefined;
  const schema =
    typeof item?.type === 'string'
      ? outputItemSchemas[item.type as keyof typeof outputItemSchemas]
      : undefined;
  if (schema == null) return undefined;
  return validated(schema as z.ZodType<CodexOutputItem>, item, event);
}

export function validated<T>(
  schema: z.ZodType<T>,
  value: unknown,
  event: CodexEvent,
): T | TypeValidationError {
  const result = schema.safeParse(value);
  return result.success ? result.data : new TypeValidationError({ value: event, cause: result.error });
}
