import { APICallError } from '@ai-sdk/provider';
import type { CodexAuth, CodexCredentials } from '../auth/codex-auth';

/**
 * Runs a backend request with fresh credentials. On a 401 it asks `auth.handleUnauthorized` for
 * better ones (refreshed, or rotated by another process) and retries once.
 */
export async function withCredentials<T>(
  auth: CodexAuth,
  abortSignal: AbortSignal | undefined,
  send: (credentials: CodexCredentials) => Promise<T>,
): Promise<T> {
  const credentials = await auth.getCredentials({ abortSignal });
  try {
    return await send(credentials);
  } catch (error) {
    if (!APICallError.isInstance(error) || error.statusCode !== 401 || auth.handleUnauthorized == null)
      throw error;
    const recovered = await auth.handleUnauthorized(credentials, { abortSignal });
    if (recovered == null) throw error;
    return await send(recovered);
  }
}
