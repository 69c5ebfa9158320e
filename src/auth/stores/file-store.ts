import { constants } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, readFile, readlink, rename, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { CODEX_LOGIN_HINT, CodexAuthError } from '../codex-auth-error';
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

  function directoryError() {
    return new CodexAuthError({
      reason: 'malformed',
      source,
      message: `is a directory, not a file, so it holds no login; nothing was changed. Move it away (\`mv ${path} ${path}.dir\`). ${CODEX_LOGIN_HINT}`,
    });
  }

  /**
   * Where the file's content lives: `path`, or the file a symlink at `path` points to (followed link by link),
   * so that a write replaces the target and the link stays a link, as dotfile managers expect.
   */
  async function target(): Promise<string> {
    let current = path;
    for (let hops = 0; hops < 32; hops++) {
      try {
        if (!(await lstat(current)).isSymbolicLink()) return current;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
        throw error;
      }
      current = resolve(dirname(current), await readlink(current));
    }
    throw new CodexAuthError({
      reason: 'malformed',
      source,
      message: `is a chain of symbolic links that does not end in a file. Point ${path} at a real file, or remove it and log in again.`,
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
        if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw directoryError();
        throw permissionError('read the file', error);
      }
    },
    async writeText(text) {
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const file = await target();
        // Called under the lock: any temp file left here belongs to a writer that died.
        await removeAbandonedTempFiles(file);
        await writeFileAtomic(file, text);
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
      if ((await lstat(path)).isDirectory()) throw directoryError();
      const aside = `${path}.unreadable-${timestamp()}`;
      await rename(path, aside);
      return aside;
    },
    async backUp() {
      const backup = `${path}.backup-${timestamp()}`;
      // A copy of the content (through a symlink), never overwriting an earlier backup.
      await copyFile(path, backup, constants.COPYFILE_EXCL);
      await chmod(backup, 0o600);
      return backup;
    },
  });
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
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
