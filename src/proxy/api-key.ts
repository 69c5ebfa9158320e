import { createHash, timingSafeEqual } from 'node:crypto';
import { loadOptionalSetting } from '@ai-sdk/provider-utils';

/** The proxy key: the option, else `CODEX_PROXY_API_KEY`. An empty key counts as none. */
export function resolveProxyApiKey(apiKey: string | undefined): string | undefined {
  return (
    loadOptionalSetting({ settingValue: apiKey, environmentVariableName: 'CODEX_PROXY_API_KEY' }) || undefined
  );
}

/**
 * Returns a check of the `Authorization: Bearer <key>` header against `apiKey`. Both sides are hashed first,
 * so the comparison takes the same time whatever the key's length and wherever the first difference is.
 */
export function createApiKeyCheck(apiKey: string): (authorization: string | undefined) => boolean {
  const expected = sha256(apiKey);
  return authorization => {
    const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
    const presented = sha256(match?.[1] ?? '');
    return timingSafeEqual(presented, expected) && match != null;
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
