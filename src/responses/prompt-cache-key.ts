import type { CodexInputItem } from './codex-request';

// Node.js hashes in the calling thread; WebCrypto (the only hash of edge runtimes) hands each hash to
// a worker and back, which costs more than the rest of preparing a request. Edge runtimes are told
// apart before `process` is touched: Next.js's throws on Node.js APIs. Every Node.js that has
// `getBuiltinModule` (20.16+) has the one-shot `crypto.hash`, which skips creating a `Hash` object.
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
  if (nodeCrypto != null) return formatUuid(nodeCrypto.hash('sha256', text, 'hex'));
  return crypto.subtle
    .digest('SHA-256', new TextEncoder().encode(text))
    .then(digest =>
      formatUuid(Array.from(new Uint8Array(digest), byte => byte.toString(16).padStart(2, '0')).join('')),
    );
}

/** RFC 9562 version 8 (custom) UUID from the first 16 bytes of a digest, given in hex. */
function formatUuid(hex: string): string {
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
