import { constants } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CodexAuthError } from '../codex-auth-error';

const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;

interface Flock {
  flock(fd: number, operation: number): number;
  errno(): number;
  wouldBlock: number;
  interrupted: number;
}

let flockPromise: Promise<Flock> | undefined;

/**
 * BSD `flock(2)` from libc through koffi, an FFI. Its prebuilt binaries come in per-platform optional packages
 * (`@koromix/koffi-linux-x64`, …) that npm picks by os and cpu; koffi's own install script only checks that one
 * loads and otherwise builds from source with CMake and a C++ compiler (npm 11 skips it unless `allowScripts`
 * approves it, and the prebuilt binary works without it). It is the lock the Codex CLI takes on `$CODEX_HOME/auth.lock`
 * to write auth.json, so holding it keeps the CLI from writing over us (the CLI 0.171 sends its refresh request
 * before taking it). Loaded on first use, so bundles that never lock never load it.
 */
function loadFlock(source: string): Promise<Flock> {
  flockPromise ??= (async () => {
    let koffi: typeof import('koffi')['default'];
    try {
      koffi = (await import('koffi')).default;
    } catch (error) {
      flockPromise = undefined;
      throw new CodexAuthError({
        reason: 'lock-unavailable',
        source,
        message: `the file lock needs the package koffi, which could not be loaded here (${error instanceof Error ? error.message : String(error)}); reinstall dependencies without --omit=optional.`,
      });
    }
    const libc = koffi.load(null);
    const flock = libc.func('int flock(int fd, int operation)') as (fd: number, operation: number) => number;
    return {
      flock,
      errno: () => koffi.errno(),
      wouldBlock: koffi.os.errno.EWOULDBLOCK ?? koffi.os.errno.EAGAIN ?? 11,
      interrupted: koffi.os.errno.EINTR ?? 4,
    };
  })();
  return flockPromise;
}

/**
 * Takes an exclusive `flock` on `lockPath` (created with mode 0600 when absent), polling without blocking the
 * event loop. The kernel drops the lock when the process dies, so a killed holder never leaves it stuck.
 * Resolves to a function that releases it.
 */
export async function acquireFileLock(
  lockPath: string,
  {
    source,
    timeoutMs = 60_000,
    abortSignal,
  }: { source: string; timeoutMs?: number; abortSignal?: AbortSignal },
): Promise<() => Promise<void>> {
  if (process.platform === 'win32') {
    throw new CodexAuthError({
      reason: 'lock-unavailable',
      source,
      message:
        'sharing a credentials file between processes needs flock(2), which Windows does not have; use an in-memory or Redis store there.',
    });
  }
  const { flock, errno, wouldBlock, interrupted } = await loadFlock(source);
  await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
  const handle = await openLockFile(lockPath, source);
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  try {
    for (;;) {
      if (flock(handle.fd, LOCK_EX | LOCK_NB) === 0) break;
      const code = errno();
      if (code !== wouldBlock && code !== interrupted) {
        throw new CodexAuthError({
          reason: 'permission-denied',
          source,
          message: `could not lock ${lockPath} (errno ${code}); check that this user owns the directory.`,
        });
      }
      abortSignal?.throwIfAborted();
      if (Date.now() >= deadline) {
        throw new CodexAuthError({
          reason: 'lock-timeout',
          source,
          message: `another process held the lock ${lockPath} for more than ${Math.round(timeoutMs / 1000)} s; try again.`,
        });
      }
      await new Promise(resolve => setTimeout(resolve, delay * (0.5 + Math.random())));
      delay = Math.min(delay * 2, 100);
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  return async () => {
    flock(handle.fd, LOCK_UN);
    await handle.close();
  };
}

/**
 * Opens the lock file, creating it (mode 0600) only where it is named, never through a symbolic link: a link
 * planted at the lock's path must not make this process create a file elsewhere. A link to an existing file is
 * locked as the Codex CLI locks it, through the link.
 */
async function openLockFile(lockPath: string, source: string): Promise<FileHandle> {
  try {
    return await open(
      lockPath,
      constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW,
      0o600,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
  }
  try {
    return await open(lockPath, constants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new CodexAuthError({
      reason: 'permission-denied',
      source,
      message: `the lock file ${lockPath} is a symbolic link to a file that does not exist, and it is not followed to create one. Remove the link (\`rm ${lockPath}\`) and try again.`,
    });
  }
}
