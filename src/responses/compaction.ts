import type { LanguageModelV4CustomPart, SharedV4Warning } from '@ai-sdk/provider';
import type { CodexCompactionItem, CodexInputItem } from './codex-request';

/**
 * Remote compaction v2. A call with `providerOptions.codex.compact` ends its input with a
 * `compaction_trigger` item; the backend answers with a `compaction` output item, which the model returns
 * as a custom content part of this kind (its encrypted content in `providerMetadata.codex`). Sent back in
 * the conversation (as `ai` does with the response messages), it stands for everything before it.
 */
export const COMPACTION_KIND = 'codex.compaction';

export const compactionTrigger = { type: 'compaction_trigger' } as const;

/** The `compaction` input item of a custom prompt part, if it is one this provider returned. */
export function compactionItemOf(
  part: LanguageModelV4CustomPart,
  warnings: SharedV4Warning[],
): CodexCompactionItem | undefined {
  if (part.kind !== COMPACTION_KIND) {
    warnings.push({
      type: 'other',
      message: `A custom content part of kind "${part.kind}" cannot be sent to the Codex backend and was skipped.`,
    });
    return undefined;
  }
  const encryptedContent = part.providerOptions?.codex?.encryptedContent;
  if (typeof encryptedContent !== 'string' || encryptedContent.length === 0) {
    warnings.push({
      type: 'other',
      message:
        'A Codex compaction part without its encrypted content cannot be replayed and was skipped; the history it stood for is sent instead.',
    });
    return undefined;
  }
  return { type: 'compaction', encrypted_content: encryptedContent };
}

/**
 * The input with the conversation before its last `compaction` item left out: the item replaces it. The
 * leading developer messages (the instructions) stay, as the Codex CLI keeps its instructions after a
 * compaction.
 */
export function dropCompactedHistory(input: CodexInputItem[]): CodexInputItem[] {
  const last = input.findLastIndex(item => item.type === 'compaction');
  if (last <= 0) return input;
  let instructions = 0;
  while (instructions < last && isDeveloperMessage(input[instructions]!)) instructions++;
  return [...input.slice(0, instructions), ...input.slice(last)];
}

function isDeveloperMessage(item: CodexInputItem): boolean {
  return item.type === 'message' && item.role === 'developer';
}
