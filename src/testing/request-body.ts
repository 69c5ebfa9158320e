import * as zlib from 'node:zlib';
import { safeParseJSON } from '@ai-sdk/provider-utils';

/** A request body after `Content-Encoding` was undone and the content type parsed. */
export type ParsedBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; value: Record<string, string> }
  | { kind: 'other'; contentType: string }
  | { kind: 'error'; message: string };

export interface DecodedBody {
  /** The body after `Content-Encoding` was undone (the raw bytes when that failed). */
  bytes: Uint8Array;
  parsed: ParsedBody;
}

const decoders: Record<string, (bytes: Uint8Array) => Uint8Array> = {
  zstd: bytes => {
    // The Codex CLI compresses its request bodies with zstd, which Node's zlib has from 22.15 on.
    if (!zlib.zstdDecompressSync) throw new Error('zstd needs Node.js 22.15 or newer');
    const decoded = zlib.zstdDecompressSync(bytes);
    // Node 22 returns what it decoded of a cut-off frame instead of failing (Node 24 fails): nothing decoded
    // from something means a cut header; a later cut leaves JSON that does not parse.
    if (decoded.byteLength === 0 && bytes.byteLength > 0) throw new Error('unexpected end of file');
    return decoded;
  },
  gzip: bytes => zlib.gunzipSync(bytes),
  'x-gzip': bytes => zlib.gunzipSync(bytes),
  deflate: bytes => zlib.inflateSync(bytes),
  br: bytes => zlib.brotliDecompressSync(bytes),
};

function undoContentEncoding(raw: Uint8Array, contentEncoding: string | undefined): Uint8Array | string {
  const encodings = (contentEncoding ?? '')
    .split(',')
    .map(e => e.trim().toLowerCase())
    .filter(e => e !== '' && e !== 'identity');
  let bytes = raw;
  // Encodings are listed in the order they were applied, so undo them from last to first.
  for (const encoding of encodings.reverse()) {
    const decode = decoders[encoding];
    if (!decode) return `Unsupported content encoding: ${encoding}`;
    try {
      bytes = decode(bytes);
    } catch (error) {
      return `Could not decode the ${encoding}-encoded request body (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  return bytes;
}

/** Decodes and parses a request body; never throws. */
export async function decodeBody(
  raw: Uint8Array,
  headers: { contentType?: string; contentEncoding?: string },
): Promise<DecodedBody> {
  const decoded = undoContentEncoding(raw, headers.contentEncoding);
  if (typeof decoded === 'string') return { bytes: raw, parsed: { kind: 'error', message: decoded } };
  if (decoded.byteLength === 0) return { bytes: decoded, parsed: { kind: 'empty' } };

  const mediaType = (headers.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = new TextDecoder('utf-8', { fatal: false }).decode(decoded);
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    const result = await safeParseJSON({ text });
    return {
      bytes: decoded,
      parsed: result.success
        ? { kind: 'json', value: result.value }
        : { kind: 'error', message: 'Request body is not valid JSON' },
    };
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    return { bytes: decoded, parsed: { kind: 'form', value: Object.fromEntries(new URLSearchParams(text)) } };
  }
  return { bytes: decoded, parsed: { kind: 'other', contentType: mediaType || '(none)' } };
}
