import { safeParseJSON } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';
import { CODEX_LOGIN_HINT, CodexAuthError } from './codex-auth-error';
import type { CodexLogin } from './codex-credential-source';

/** The `tokens` object of a Codex `auth.json`; other tools that store a login write it too. */
export const codexAuthJsonTokensSchema = z.looseObject({
  id_token: z.string().nullish(),
  access_token: z.string().nullish(),
  refresh_token: z.string().nullish(),
  account_id: z.string().nullish(),
});

/**
 * The Codex CLI's `auth.json` (and its keychain value). Loose: every field we do not know is kept and written
 * back, so the tool that owns the file keeps working.
 */
const codexAuthJsonSchema = z.looseObject({
  auth_mode: z.string().nullish(),
  OPENAI_API_KEY: z.string().nullish(),
  tokens: codexAuthJsonTokensSchema.nullish(),
  last_refresh: z.string().nullish(),
});

export type CodexAuthJson = z.infer<typeof codexAuthJsonSchema>;

/**
 * Parses a Codex `auth.json` document. Throws `CodexAuthError` (`malformed`) naming `source` when the text is
 * not JSON, not an object, or not a ChatGPT login; the message never quotes the content.
 */
export async function parseCodexAuthJson(
  text: string,
  source: string,
): Promise<{ document: CodexAuthJson; login: CodexLogin }> {
  // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses.
  text = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const parsed = await safeParseJSON({ text, schema: codexAuthJsonSchema });
  if (!parsed.success) {
    const isJson = (await safeParseJSON({ text })).success;
    throw new CodexAuthError({
      reason: 'malformed',
      source,
      message: isJson
        ? 'is not a Codex auth.json document (it has fields of the wrong type). Restore it from a backup or log in again: ' +
          CODEX_LOGIN_HINT
        : `is not valid JSON${text.trim() === '' ? ' (it is empty)' : ' (it may be truncated)'}. Restore it from a backup or log in again: ${CODEX_LOGIN_HINT}`,
    });
  }
  const document = parsed.value;
  const tokens = document.tokens;
  if (tokens?.access_token == null || tokens.access_token === '') {
    const apiKeyOnly = document.auth_mode === 'apikey' || (tokens == null && document.OPENAI_API_KEY != null);
    throw new CodexAuthError({
      reason: 'malformed',
      source,
      message: apiKeyOnly
        ? `holds an API-key login, not a ChatGPT login; the Codex backend needs a ChatGPT subscription login. ${CODEX_LOGIN_HINT}`
        : `has no tokens.access_token, so it is not a complete ChatGPT login. ${CODEX_LOGIN_HINT}`,
    });
  }
  return {
    document,
    login: {
      accessToken: tokens.access_token,
      accountId: tokens.account_id ?? undefined,
      refreshToken: tokens.refresh_token ?? undefined,
      idToken: tokens.id_token ?? undefined,
    },
  };
}

/**
 * Writes `login` into `document` (a new ChatGPT login when absent), keeping every other field and every token
 * field the login does not replace, and stamping `last_refresh` as the Codex CLI does.
 */
export function mergeCodexAuthJson(document: CodexAuthJson | undefined, login: CodexLogin): CodexAuthJson {
  const tokens = document?.tokens ?? {};
  return {
    ...(document ?? { auth_mode: 'chatgpt' }),
    OPENAI_API_KEY: document?.OPENAI_API_KEY ?? null,
    tokens: {
      ...tokens,
      id_token: login.idToken ?? tokens.id_token,
      access_token: login.accessToken,
      refresh_token: login.refreshToken ?? tokens.refresh_token,
      account_id: login.accountId ?? tokens.account_id,
    },
    last_refresh: new Date().toISOString(),
  };
}
