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

/** The SHA-256 of a text in hex: synchronous on Node.js, a promise elsewhere. */
export function sha256Hex(text: string): string | Promise<string> {
  if (nodeCrypto != null) return nodeCrypto.hash('sha256', text, 'hex');
  return crypto.subtle
    .digest('SHA-256', new TextEncoder().encode(text))
    .then(digest => Array.from(new Uint8Array(digest), byte => byte.toString(16).padStart(2, '0')).join(''));
}

/** RFC 9562 version 8 (custom) UUID from the first 16 bytes of a digest, given in hex. */
export function uuidFromDigest(hex: string): string {
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
