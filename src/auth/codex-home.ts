import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `$CODEX_HOME`, else `~/.codex`: where the Codex CLI keeps `auth.json`. */
export function resolveCodexHome(codexHome?: string): string {
  const home = codexHome ?? process.env.CODEX_HOME;
  return home != null && home !== '' ? resolve(home) : join(homedir(), '.codex');
}

/**
 * The key the Codex CLI derives from its home to name its keychain entries: the first 16 hex digits of
 * sha256 of the canonical path (the path as given when it cannot be canonicalized).
 */
export function codexHomeKeyringHash(codexHome: string): string {
  let canonical = codexHome;
  try {
    canonical = realpathSync.native(codexHome);
  } catch {
    // Like the CLI: fall back to the path as given.
  }
  if (process.platform === 'win32' && !canonical.startsWith('\\\\?\\')) canonical = `\\\\?\\${canonical}`;
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
