import { withoutTrailingSlash } from '@ai-sdk/provider-utils';
import { resolveCodexAuthIssuer } from '../auth/oauth';

const DEFAULT_CHATGPT_BASE_URL = 'https://chatgpt.com/backend-api';

/** The OAuth issuer: `--issuer`, else `CODEX_AUTH_ISSUER`, else `https://auth.openai.com`. */
export function resolveIssuer(option: string | undefined): string {
  return resolveCodexAuthIssuer(option || undefined);
}

/**
 * The ChatGPT backend for account calls such as `/wham/usage` (the Codex CLI's `chatgpt_base_url`):
 * `--chatgpt-base-url`, else `CODEX_CHATGPT_BASE_URL`, else `CODEX_BASE_URL` without its `/codex` suffix,
 * else `https://chatgpt.com/backend-api`.
 */
export function resolveChatgptBaseURL(option: string | undefined, env = process.env): string {
  const explicit = option || env.CODEX_CHATGPT_BASE_URL;
  if (explicit) return withoutTrailingSlash(explicit)!;
  const codexBase = withoutTrailingSlash(env.CODEX_BASE_URL || undefined);
  if (codexBase?.endsWith('/codex')) return codexBase.slice(0, -'/codex'.length);
  return DEFAULT_CHATGPT_BASE_URL;
}

/**
 * The `originator` the authorize URL carries. The Codex CLI sends `codex_cli_rs` and honours
 * `CODEX_INTERNAL_ORIGINATOR_OVERRIDE`; the login is for the same OAuth client, so do the same.
 */
export function resolveOriginator(env = process.env): string {
  return env.CODEX_INTERNAL_ORIGINATOR_OVERRIDE || 'codex_cli_rs';
}

/** The revoke endpoint of the Codex CLI's logout: `CODEX_REVOKE_TOKEN_URL_OVERRIDE`, else `{issuer}/oauth/revoke`. */
export function resolveRevokeURL(issuer: string, env = process.env): string {
  return env.CODEX_REVOKE_TOKEN_URL_OVERRIDE || `${issuer}/oauth/revoke`;
}
