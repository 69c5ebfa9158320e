import { execFileSync } from 'node:child_process';
import * as zlib from 'node:zlib';

type ZstdCompress = (data: Uint8Array) => Buffer;

/**
 * Compresses with zstd the way the Codex CLI encodes request bodies: Node's own zlib where it has zstd
 * (Node ≥ 22.15), else the Debian `zstd` binary (Node 20 has no zstd in zlib).
 */
export function zstdCompress(data: Uint8Array | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const native = (zlib as unknown as { zstdCompressSync?: ZstdCompress }).zstdCompressSync;
  if (native) return native(bytes);
  return execFileSync('zstd', ['-3', '-c', '-q'], { input: bytes });
}
