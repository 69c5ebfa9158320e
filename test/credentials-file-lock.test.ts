import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CodexAuthError } from '../src/auth/codex-auth-error';
import { acquireFileLock } from '../src/auth/stores/file-lock';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'codex-lock-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** util-linux flock(1) takes the same kernel lock, flock(2), that the Codex CLI takes on auth.lock. */
const othersCanLock = (path: string) => spawnSync('flock', ['--nonblock', path, 'true']).status === 0;

it('holds a real BSD flock that other processes see, until released', async () => {
  const path = join(dir, 'auth.lock');
  const release = await acquireFileLock(path, { source: 'test' });
  expect(othersCanLock(path)).toBe(false);
  await release();
  expect(othersCanLock(path)).toBe(true);
});

it('waits for another holder, and gives up with lock-timeout when told to', async () => {
  const path = join(dir, 'auth.lock');
  const release = await acquireFileLock(path, { source: 'test' });

  const error = await acquireFileLock(path, { source: 'auth.json', timeoutMs: 200 }).catch(e => e);
  expect(CodexAuthError.isInstance(error)).toBe(true);
  expect(error.reason).toBe('lock-timeout');

  const waiting = acquireFileLock(path, { source: 'test' });
  await release();
  await (await waiting)();
});
