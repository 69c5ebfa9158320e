import {
  type JSONObject,
  type LanguageModelV4Citation,
  type LanguageModelV4StreamPart,
  TypeValidationError,
} from '@ai-sdk/provider';
import {
  annotationAddedEventSchema,
  annotationSchema,
  type CodexAnnotation,
  type CodexEvent,
} from '../backend/event-schemas';
import { type ItemState, type OutputItem, type StreamMappingState, validated } from './map-stream-state';

/** Message items: text (and refusal) parts, with their phase and citations. */

export function startMessage(
  s: StreamMappingState,
  event: CodexEvent,
  itemId: string | null | undefined,
  phase?: ItemState['phase'],
): ItemState {
  const state: ItemState = { kind: 'text', id: itemId ?? s.generateId(), streamed: false, phase };
  s.track(event, itemId, state);
  s.annotations = [];
  s.sink.enqueue({
    type: 'text-start',
    id: state.id,
    providerMetadata: { codex: { itemId: state.id, ...(phase != null && { phase }) } },
  });
  return state;
}

/**
 * `response.output_text.delta` and `response.refusal.delta`: the hot path, one event per token, so
 * checked field by field rather than with a schema.
 */
export function mapTextDelta(s: StreamMappingState, event: CodexEvent) {
  const delta = event.delta;
  if (typeof delta !== 'string') return s.emitInvalid(event);
  const state = s.findItem(event) ?? startMessage(s, event, event.item_id as string | undefined);
  state.streamed = true;
  if (event.type === 'response.refusal.delta') s.hasRefusal = true;
  s.sink.enqueue({ type: 'text-delta', id: state.id, delta });
}

export function mapAnnotationAdded(s: StreamMappingState, event: CodexEvent) {
  const parsed = validated(annotationAddedEventSchema, event, event);
  if (parsed instanceof TypeValidationError) return s.emitError(parsed);
  s.annotations.push(parsed.annotation);
  const citation = annotationSchema.safeParse(parsed.annotation);
  // Web search events may still follow: sources are decided at the end.
  if (citation.success) s.citationAnnotations.push(citation.data);
}

export function endMessage(
  s: StreamMappingState,
  event: CodexEvent,
  item: OutputItem<'message'>,
  state: ItemState | undefined,
): void {
  const message = state ?? startMessage(s, event, item.id, item.phase ?? undefined);
  s.untrack(event, item.id);
  // The done item is authoritative: it carries the text when nothing was streamed.
  if (!message.streamed) {
    for (const part of item.content ?? []) {
      const text = part.type === 'refusal' ? part.refusal : part.text;
      if (part.type === 'refusal') s.hasRefusal = true;
      if (text != null && text.length > 0) {
        s.sink.enqueue({ type: 'text-delta', id: message.id, delta: text });
      }
    }
  }
  const phase = item.phase ?? message.phase;
  const annotations = s.annotations;
  const citations = citationsOf(annotations);
  s.sink.enqueue({
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
}

/** Ends the text part of a message the stream left unfinished. */
export function endOpenMessage(s: StreamMappingState, state: ItemState): void {
  s.sink.enqueue({
    type: 'text-end',
    id: state.id,
    providerMetadata: { codex: { itemId: state.id, ...(state.phase != null && { phase: state.phase }) } },
  });
}

/** The response's citations as sources, unless the web search already listed its sources. */
export function emitCitationSources(s: StreamMappingState): void {
  for (const annotation of s.citationAnnotations) {
    if (annotation.type === 'url_citation' && s.hasWebSearchActionSources) continue;
    s.sink.enqueue(sourceOf(annotation, s.generateId()));
  }
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
