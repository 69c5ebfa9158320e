import type { CodexInputItem } from './codex-request';

/**
 * A prompt cache key that stays the same while a conversation grows: a digest of its instructions
 * and first input item, formatted as a UUID (the Codex CLI uses its session UUID). Every step of a
 * tool loop and every turn of a chat shares it, so the backend can reuse the cached prefix.
 */
export async function derivePromptCacheKey({
  instructions,
  input,
}: {
  instructions: string | undefined;
  input: readonly CodexInputItem[];
}): Promise<string> {
  const text = JSON.stringify([instructions ?? null, input[0] ?? null]);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  // RFC 9562 version 8 (custom) UUID from the first 16 bytes.
  digest[6] = (digest[6]! & 0x0f) | 0x80;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = Array.from(digest.subarray(0, 16), byte => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
