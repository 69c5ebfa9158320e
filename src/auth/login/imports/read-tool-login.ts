import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod/v4';
import { CodexAuthError } from '../../codex-auth-error';
import { codexAuthJsonTokensSchema } from '../../codex-auth-json';
import { checkImportedTokens, type ImportableTool, type ImportedLogin } from './imported-login';
import { readCredentialsFile } from './read-credentials-file';

type Env = Record<string, string | undefined>;

/** opencode and pi keep `{ type: 'oauth', access, refresh, expires, accountId }` under a provider key. */
const oauthEntrySchema = z.looseObject({
  type: z.string(),
  access: z.string().nullish(),
  refresh: z.string().nullish(),
  expires: z.number().nullish(),
  accountId: z.string().nullish(),
});
const providerMapSchema = z.record(z.string(), z.unknown());

const openclawDocumentSchema = z.looseObject({
  profiles: z.record(z.string(), z.unknown()).optional(),
  order: z.record(z.string(), z.array(z.string())).optional(),
  lastGood: z.record(z.string(), z.string()).optional(),
});
const openclawProfileSchema = oauthEntrySchema.extend({ provider: z.string().optional() });

/** ChatMock writes the Codex CLI's shape without `auth_mode`. */
const chatmockDocumentSchema = z.looseObject({ tokens: codexAuthJsonTokensSchema.nullish() });

/** Where each tool keeps its login by default (credentials.md §4). */
export function defaultImportPath(tool: ImportableTool, env: Env = process.env): string {
  const home = homedir();
  switch (tool) {
    case 'opencode':
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'opencode', 'auth.json');
    case 'pi':
      return join(env.PI_CODING_AGENT_DIR || join(home, '.pi', 'agent'), 'auth.json');
    case 'openclaw':
      return join(
        env.OPENCLAW_STATE_DIR || join(home, '.openclaw'),
        'agents',
        'main',
        'agent',
        'auth-profiles.json',
      );
    case 'chatmock':
      return join(env.CHATGPT_LOCAL_HOME || join(home, '.chatgpt-local'), 'auth.json');
  }
}

const LOGIN_HINTS: Record<ImportableTool, string> = {
  opencode: 'Log in to OpenAI (ChatGPT Plus/Pro) in opencode with `opencode auth login`, then import again.',
  pi: 'Log in with `/login` → ChatGPT Plus/Pro (Codex) in pi, then import again.',
  openclaw: 'Log in with `openclaw models auth login --provider openai-codex`, then import again.',
  chatmock: 'Log in with ChatMock’s `login` command, then import again.',
};

const FILE_NAMES: Record<ImportableTool, string> = {
  opencode: 'opencode auth.json',
  pi: 'pi auth.json',
  openclaw: 'OpenClaw auth-profiles.json',
  chatmock: 'ChatMock auth.json',
};

/**
 * Reads the ChatGPT login another tool stored, from `path` or the tool's default location, and checks it.
 * Throws `CodexAuthError` naming the file when it is missing, unreadable, malformed, holds no ChatGPT login,
 * or holds tokens whose account claim contradicts the stored account id.
 */
export async function readToolLogin(
  tool: ImportableTool,
  { path: givenPath, env = process.env }: { path?: string; env?: Env } = {},
): Promise<ImportedLogin> {
  const path = resolve(givenPath ?? defaultImportPath(tool, env));
  const source = `${FILE_NAMES[tool]} (${path})`;
  const hint = LOGIN_HINTS[tool];
  const withMissingHint = givenPath == null ? `${hint} If it is elsewhere, pass its path.` : hint;
  const read = <T>(schema: z.ZodType<T>) =>
    readCredentialsFile({ path, source, schema, missingHint: withMissingHint });

  let tokens: Parameters<typeof checkImportedTokens>[0];
  switch (tool) {
    case 'opencode':
    case 'pi': {
      const key = tool === 'opencode' ? 'openai' : 'openai-codex';
      const entry = pickOAuthEntry((await read(providerMapSchema))[key], key, source, hint);
      tokens = { accessToken: entry.access, refreshToken: entry.refresh, accountId: entry.accountId };
      break;
    }
    case 'openclaw': {
      const profile = pickOpenclawProfile(await read(openclawDocumentSchema), source, hint);
      tokens = { accessToken: profile.access, refreshToken: profile.refresh, accountId: profile.accountId };
      break;
    }
    case 'chatmock': {
      const document = await read(chatmockDocumentSchema);
      if (document.tokens == null) {
        throw new CodexAuthError({ reason: 'missing', source, message: `holds no ChatGPT login. ${hint}` });
      }
      tokens = {
        accessToken: document.tokens.access_token,
        refreshToken: document.tokens.refresh_token,
        accountId: document.tokens.account_id,
        idToken: document.tokens.id_token,
      };
      break;
    }
  }
  return { tool, path, source, login: checkImportedTokens(tokens, source, hint) };
}

function pickOAuthEntry(value: unknown, key: string, source: string, hint: string) {
  if (value == null) {
    throw new CodexAuthError({
      reason: 'missing',
      source,
      message: `has no ChatGPT login (no "${key}" entry). ${hint}`,
    });
  }
  const entry = oauthEntrySchema.safeParse(value);
  if (!entry.success) {
    throw new CodexAuthError({
      reason: 'malformed',
      source,
      message: `has a "${key}" entry of an unexpected shape. ${hint}`,
    });
  }
  if (entry.data.type !== 'oauth') {
    throw new CodexAuthError({
      reason: 'malformed',
      source,
      message: `has a "${key}" entry of type "${entry.data.type}", not a ChatGPT (OAuth) login. ${hint}`,
    });
  }
  return entry.data;
}

/**
 * OpenClaw keeps profiles under `openai-codex:*` (older builds) or `openai:*`; it uses `lastGood`, then `order`,
 * then any OAuth profile of those providers. A flat `{ provider: entry }` map is its legacy layout.
 */
function pickOpenclawProfile(document: z.infer<typeof openclawDocumentSchema>, source: string, hint: string) {
  const providers = ['openai-codex', 'openai'];
  const profiles = document.profiles ?? (document as Record<string, unknown>);
  const candidates = [
    ...providers.map(provider => document.lastGood?.[provider]),
    ...providers.flatMap(provider => document.order?.[provider] ?? []),
    ...Object.keys(profiles).filter(id => {
      const provider = openclawProfileSchema.safeParse(profiles[id]).data?.provider;
      return providers.some(p => id === p || id.startsWith(`${p}:`) || provider === p);
    }),
  ].filter((id): id is string => id != null);
  for (const id of candidates) {
    const profile = openclawProfileSchema.safeParse(profiles[id]);
    if (profile.success && profile.data.type === 'oauth') {
      return profile.data;
    }
  }
  throw new CodexAuthError({
    reason: 'missing',
    source,
    message: `has no ChatGPT (openai-codex) OAuth profile. ${hint}`,
  });
}
