import type { LanguageModelV4StreamPart, SharedV4ProviderMetadata } from '@ai-sdk/provider';
import { createNullLanguageModelUsage } from '@ai-sdk/provider-utils';

type OpenKind = 'text' | 'reasoning' | 'tool-input';

/**
 * Ends the text before the first stop sequence, as OpenAI's `stop` does: the Codex backend refuses `stop`, so
 * the provider applies it to the stream itself. Each text part is searched on its own; a delta's tail that
 * could begin a stop sequence is held back until the next delta tells. At a stop sequence the open parts end,
 * a `finish` part with reason `stop` follows, and the stream terminates, which cancels the request upstream
 * (the rest of the answer is not wanted, and its usage is never reported).
 */
export function applyStopSequences(
  stopSequences: readonly string[],
): TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart> {
  const stops = stopSequences.filter(stop => stop.length > 0);
  // The text held back per text part, and every part started and not yet ended (to end them at a stop).
  const heldBack = new Map<string, string>();
  const open = new Map<string, { kind: OpenKind; id: string; providerMetadata?: SharedV4ProviderMetadata }>();

  return new TransformStream({
    transform(part, controller) {
      switch (part.type) {
        case 'text-start':
        case 'reasoning-start':
        case 'tool-input-start': {
          const kind = part.type.slice(0, -'-start'.length) as OpenKind;
          open.set(`${kind}:${part.id}`, { kind, id: part.id, providerMetadata: part.providerMetadata });
          break;
        }
        case 'reasoning-end':
        case 'tool-input-end':
          open.delete(`${part.type.slice(0, -'-end'.length)}:${part.id}`);
          break;
        case 'text-end': {
          open.delete(`text:${part.id}`);
          const held = heldBack.get(part.id);
          heldBack.delete(part.id);
          if (held) controller.enqueue({ type: 'text-delta', id: part.id, delta: held });
          break;
        }
        case 'text-delta': {
          const text = (heldBack.get(part.id) ?? '') + part.delta;
          const stopAt = firstStop(text, stops);
          if (stopAt === -1) {
            const keep = text.length - longestStopPrefixAtEnd(text, stops);
            heldBack.set(part.id, text.slice(keep));
            if (keep > 0) controller.enqueue({ ...part, delta: text.slice(0, keep) });
            return;
          }
          if (stopAt > 0) controller.enqueue({ ...part, delta: text.slice(0, stopAt) });
          for (const { kind, id, providerMetadata } of open.values()) {
            // Another text part's held-back tail was no stop sequence: it ends with it.
            const held = kind === 'text' && id !== part.id ? heldBack.get(id) : undefined;
            if (held) controller.enqueue({ type: 'text-delta', id, delta: held });
            controller.enqueue({
              type: `${kind}-end`,
              id,
              ...(providerMetadata != null && { providerMetadata }),
            } as LanguageModelV4StreamPart);
          }
          controller.enqueue({
            type: 'finish',
            finishReason: { unified: 'stop', raw: 'stop_sequence' },
            usage: createNullLanguageModelUsage(),
          });
          controller.terminate();
          return;
        }
      }
      controller.enqueue(part);
    },
  });
}

/** Where the earliest stop sequence starts in `text`, or -1. */
function firstStop(text: string, stops: readonly string[]): number {
  let first = -1;
  for (const stop of stops) {
    const index = text.indexOf(stop);
    if (index !== -1 && (first === -1 || index < first)) first = index;
  }
  return first;
}

/** The length of the longest end of `text` that a stop sequence begins with (shorter than that sequence). */
function longestStopPrefixAtEnd(text: string, stops: readonly string[]): number {
  let longest = 0;
  for (const stop of stops) {
    for (let length = Math.min(stop.length - 1, text.length); length > longest; length--) {
      if (text.endsWith(stop.slice(0, length))) {
        longest = length;
        break;
      }
    }
  }
  return longest;
}
