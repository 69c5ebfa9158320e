import { createHash, timingSafeEqual } from 'node:crypto';
import { loadOptionalSetting } from '@ai-sdk/provider-utils';
import { ProxyError } from './proxy-error';

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

/** The 401 a request without the proxy's key gets, HTTP request and WebSocket upgrade alike. */
export function invalidApiKeyError(): ProxyError {
  return new ProxyError({
    message:
      'Missing or incorrect API key for this proxy. Send it as "Authorization: Bearer <key>": the key given to `serve --api-key` or CODEX_PROXY_API_KEY.',
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  });
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
