/** Response headers of the backend that clients of the proxy get too. */
const PASSED_THROUGH = new Set([
  'retry-after',
  'x-request-id',
  'openai-model',
  'x-models-etag',
  'x-reasoning-included',
]);

/**
 * Picks the backend's response headers worth passing on: the subscription's rate limits (`x-codex-*`,
 * which also carries `x-codex-turn-state` for the Codex CLI), `retry-after`, the request id and the model.
 */
export function upstreamHeaders(
  headers: Headers | Record<string, string> | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  if (headers == null) return result;
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-codex-') || PASSED_THROUGH.has(lower)) result[lower] = value;
  }
  return result;
}
