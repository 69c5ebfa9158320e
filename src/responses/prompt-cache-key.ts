import type { CodexInputItem } from './codex-request';

// Node.js hashes in the calling thread; WebCrypto (the only hash of edge runtimes) hands each hash to
// a worker and back, which costs more than the rest of preparing a request. Edge runtimes are told
// apart before `process` is touched: Next.js's throws on Node.js APIs.
const nodeCrypto =
  typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === 'string'
    ? undefined
    : ((
        globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
      ).process?.getBuiltinModule?.('node:crypto') as typeof import('node:crypto') | undefined);

/**
 * A prompt cache key that stays the same while a conversation grows: a digest of its instructions
 * and first input item, formatted as a UUID (the Codex CLI uses its session UUID). Every step of a
 * tool loop and every turn of a chat shares it, so the backend can reuse the cached prefix.
 * Synchronous on Node.js, a promise elsewhere.
 */
export function derivePromptCacheKey({
  instructions,
  input,
}: {
  instructions: string | undefined;
  input: readonly CodexInputItem[];
}): string | Promise<string> {
  const text = JSON.stringify([instructions ?? null, input[0] ?? null]);
  if (nodeCrypto != null) return formatUuid(nodeCrypto.createHash('sha256').update(text).digest());
  return crypto.subtle
    .digest('SHA-256', new TextEncoder().encode(text))
    .then(digest => formatUuid(new Uint8Array(digest)));
}

/** RFC 9562 version 8 (custom) UUID from the first 16 bytes of a digest. */
function formatUuid(digest: Uint8Array): string {
  const bytes = digest.slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, byte => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
