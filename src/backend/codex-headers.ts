import { normalizeHeaders } from '@ai-sdk/provider-utils';
import type { CodexCredentials } from '../auth/codex-auth';
import { VERSION } from '../version';

/** The `originator` this package identifies itself with (the Codex CLI sends `codex_cli_rs`). */
export const DEFAULT_ORIGINATOR = 'ai_sdk_provider_codex';

/** The header that tells the backend a request has the Responses Lite shape. */
export const RESPONSES_LITE_HEADER = 'x-openai-internal-codex-responses-lite';

const USER_AGENT = `ai-sdk-provider-codex/${VERSION}`;

/**
 * Headers of a backend request. User headers come first; the credentials are applied last, as
 * in the Codex CLI, so that a stray `Authorization` header cannot replace them.
 */
export function createCodexHeaders({
  credentials,
  originator,
  sessionId,
  headers,
}: {
  credentials: CodexCredentials;
  originator: string;
  sessionId?: string;
  /** Provider-level then call-level headers; later ones win. */
  headers: Array<Record<string, string | undefined> | undefined>;
}): Record<string, string> {
  const combined: Record<string, string> = {};
  for (const set of headers) Object.assign(combined, normalizeHeaders(set));

  combined.originator = originator;
  if (sessionId != null) combined['session-id'] = sessionId;
  combined.authorization = `Bearer ${credentials.accessToken}`;
  if (credentials.accountId != null) combined['chatgpt-account-id'] = credentials.accountId;
  else delete combined['chatgpt-account-id'];

  // What withUserAgentSuffix does, without the `Headers` object it builds: postToCodex sends this record as it is.
  const userAgent = combined['user-agent'];
  combined['user-agent'] = userAgent ? `${userAgent} ${USER_AGENT}` : USER_AGENT;
  return combined;
}
