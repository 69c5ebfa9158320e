import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { CodexAuthError } from '../codex-auth-error';
import type { CodexCredentialStore } from '../codex-credential-source';
import { resolveCodexHome } from '../codex-home';
import { removeAbandonedTempFiles, writeFileAtomic } from './atomic-write';
import { createCodexAuthJsonStore } from './codex-auth-json-store';
import { acquireFileLock } from './file-lock';

export interface FileCredentialStoreOptions {
  /** The JSON file in the Codex CLI's `auth.json` format. */
  path: string;
  /**
   * The file to `flock` around every rotation. Default: beside `path`, named after it with `.lock` in place of
   * `.json` — for `auth.json` that is `auth.lock`, the lock the Codex CLI itself takes.
   */
  lockPath?: string;
  /** Names the store in errors and `status`. */
  description?: string;
  /** How long to wait for another process's rotation before giving up. Default: 60 s. */
  lockTimeoutMs?: number;
  /** How long before expiry to refresh (see `CodexCredentialSource.refreshWindowMs`). */
  refreshWindowMs?: number;
}

/**
 * A credentials file in the Codex CLI's `auth.json` format, shared safely between processes: every rotation
 * holds an exclusive `flock`, re-reads the file under it and adopts a token someone else already rotated, and
 * replaces the file atomically (temp file + rename, mode 0600) before unlocking.
 */
export function createFileCredentialStore({
  path: givenPath,
  lockPath,
  description,
  lockTimeoutMs,
  refreshWindowMs,
}: FileCredentialStoreOptions): CodexCredentialStore {
  const path = resolve(givenPath);
  const dir = dirname(path);
  const source = description ?? `credentials file (${path})`;
  const lockFile = lockPath ?? join(dir, `${basename(path, extname(path))}.lock`);

  function permissionError(action: string, error: unknown) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') return error;
    return new CodexAuthError({
      reason: 'permission-denied',
      source,
      message: `cannot ${action} (permission denied). Give this user access: \`chown "$(id -un)" ${dir} ${path} && chmod 700 ${dir} && chmod 600 ${path}\`.`,
    });
  }

  return createCodexAuthJsonStore({
    description: source,
    refreshWindowMs,
    lock: ({ abortSignal }) =>
      acquireFileLock(lockFile, { source, timeoutMs: lockTimeoutMs, abortSignal }).catch(error => {
        throw permissionError(`lock ${lockFile}`, error);
      }),
    async readText() {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw permissionError('read the file', error);
      }
    },
    async writeText(text) {
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        // Called under the lock: any temp file left here belongs to a writer that died.
        await removeAbandonedTempFiles(path);
        await writeFileAtomic(path, text);
      } catch (error) {
        throw permissionError('write the file', error);
      }
    },
    async removeText() {
      try {
        await unlink(path);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw permissionError('remove the file', error);
      }
    },
    // The Codex CLI writes pretty JSON (serde's to_string_pretty: two spaces).
    serialize: document => JSON.stringify(document, null, 2),
    async setAside() {
      const aside = `${path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(path, aside);
      return aside;
    },
  });
}

/**
 * How far ahead of expiry to refresh a login shared with the Codex CLI. The CLI 0.171 refreshes within 5 minutes
 * of expiry and sends its refresh request before taking auth.lock, so no lock keeps the two from redeeming the
 * same token at once. Refreshing earlier than the CLI means that whenever both run, we rotate first, and the
 * CLI, which re-reads auth.json before it refreshes, finds our new token instead of redeeming the old one.
 */
export const CODEX_CLI_SHARED_REFRESH_WINDOW_MS = 10 * 60 * 1000;

/** The Codex CLI's own login, `$CODEX_HOME/auth.json` (default `~/.codex`), locked with the CLI's `auth.lock`. */
export function createCodexCliCredentialStore(options: { codexHome?: string; lockTimeoutMs?: number } = {}) {
  const home = resolveCodexHome(options.codexHome);
  const path = join(home, 'auth.json');
  return createFileCredentialStore({
    path,
    lockPath: join(home, 'auth.lock'),
    description: `Codex CLI auth.json (${path})`,
    lockTimeoutMs: options.lockTimeoutMs,
    refreshWindowMs: CODEX_CLI_SHARED_REFRESH_WINDOW_MS,
  });
}
