import type { CodexInputItem } from './codex-request';
import { sha256Hex, uuidFromDigest } from './digest';

/**
 * A prompt cache key that stays the same while a conversation grows: a digest of its instructions,
 * its leading developer messages (the system prompt) and the first item after them, formatted as a
 * UUID (the Codex CLI uses its session UUID). Every step of a tool loop and every turn of a chat
 * shares it, so the backend can reuse the cached prefix. Synchronous on Node.js, a promise elsewhere.
 */
export function derivePromptCacheKey({
  instructions,
  input,
}: {
  instructions: string | undefined;
  /** The conversation, without the `additional_tools` item and without client ids. */
  input: readonly CodexInputItem[];
}): string | Promise<string> {
  let end = input.findIndex(item => item.type !== 'message' || item.role !== 'developer');
  if (end === -1) end = input.length - 1;
  const digest = sha256Hex(JSON.stringify([instructions ?? null, ...input.slice(0, end + 1)]));
  return typeof digest === 'string' ? uuidFromDigest(digest) : digest.then(uuidFromDigest);
}
