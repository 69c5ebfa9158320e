import type { LanguageModelV4StreamPart, SharedV4Warning } from '@ai-sdk/provider';

/** Parts that come before the model produces anything; an error among them fails the whole request. */
const PREAMBLE_PARTS = new Set<LanguageModelV4StreamPart['type']>([
  'stream-start',
  'response-metadata',
  'raw',
]);

/** Reads parts one at a time: what `throwIfErrorBeforeOutput` read first, then the rest of the stream. */
export type PartReader = Pick<ReadableStreamDefaultReader<LanguageModelV4StreamPart>, 'read' | 'cancel'>;

/**
 * Reads the stream until the model starts producing output. If an error comes first (a failed response, an
 * exhausted usage limit), it is thrown, so the client gets the error's HTTP status rather than a 200 whose
 * stream carries an error. Otherwise returns a reader of every part, the ones read included. The model's
 * warnings (of its `stream-start` part) go to `onWarnings` on the way.
 */
export async function throwIfErrorBeforeOutput(
  stream: ReadableStream<LanguageModelV4StreamPart>,
  { onWarnings }: { onWarnings?: (warnings: SharedV4Warning[]) => void } = {},
): Promise<PartReader> {
  const reader = stream.getReader();
  const buffered: LanguageModelV4StreamPart[] = [];
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value.type === 'error') {
      await reader.cancel().catch(() => {});
      throw value.error;
    }
    if (value.type === 'stream-start' && value.warnings.length > 0) onWarnings?.(value.warnings);
    buffered.push(value);
    if (!PREAMBLE_PARTS.has(value.type)) break;
  }
  buffered.reverse();
  return {
    read: () => {
      const part = buffered.pop();
      return part != null ? Promise.resolve({ done: false, value: part }) : reader.read();
    },
    cancel: reason => reader.cancel(reason),
  };
}
