import { COMPACTION_KIND } from './compaction';
import type { OutputItem, StreamMappingState } from './map-stream-state';

/**
 * Compaction items (remote compaction v2): a custom content part whose metadata carries the encrypted
 * summary, so that `ai` keeps it in the response messages and the next call replays it.
 */
export function mapCompaction(s: StreamMappingState, item: OutputItem<'compaction'>): void {
  // Without its encrypted content the item cannot be replayed: it would only mislead.
  if (item.encrypted_content == null) return;
  s.sink.enqueue({
    type: 'custom',
    kind: COMPACTION_KIND,
    providerMetadata: {
      codex: { ...(item.id != null && { itemId: item.id }), encryptedContent: item.encrypted_content },
    },
  });
}
