import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `content` so that readers (and a crash at any instant) see either the old file or the
 * new one, never a truncated one: write a temp file beside it (mode 0600), flush it, rename it over the target,
 * then flush the directory so the rename itself survives a power cut.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `${tempPrefix(path)}${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
  const directory = await open(dir, 'r');
  try {
    await directory.sync();
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  } finally {
    await directory.close();
  }
}

function tempPrefix(path: string): string {
  return `.${basename(path)}.`;
}

/**
 * Deletes temp files a writer killed mid-write left beside `path`. Call it only while holding the lock that
 * every writer of `path` takes, so no live write is among them.
 */
export async function removeAbandonedTempFiles(path: string): Promise<void> {
  const prefix = tempPrefix(path);
  const names = await readdir(dirname(path)).catch(() => []);
  await Promise.all(
    names
      .filter(name => name.startsWith(prefix) && name.endsWith('.tmp'))
      .map(name => unlink(join(dirname(path), name)).catch(() => {})),
  );
}
