import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodexEmulator, startCodexEmulator } from '../src/testing';
import { CLI_TEST_TIMEOUT_MS, cliCommand, createCliSandbox } from './support/cli-process';

// `status --watch` in a real terminal: tmux runs it, and its screen is read with capture-pane.

const run = promisify(execFile);
const SOCKET = `status-watch-test-${process.pid}`;

let emulator: CodexEmulator;
beforeAll(async () => {
  emulator = await startCodexEmulator({ rateLimits: { primary: { usedPercent: 42, windowMinutes: 300 } } });
});
afterAll(async () => {
  await run('tmux', ['-L', SOCKET, 'kill-server']).catch(() => {});
  await emulator?.close();
});

async function screen(): Promise<string> {
  const { stdout } = await run('tmux', ['-L', SOCKET, 'capture-pane', '-p', '-t', 'watch']);
  return stdout;
}

describe('status --watch', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('redraws the usage windows in place as they change', async () => {
    const sandbox = await createCliSandbox(emulator);
    try {
      const login = await emulator.login({ planType: 'pro' });
      await writeFile(sandbox.authJsonPath, JSON.stringify(emulator.authJson(login)), { mode: 0o600 });

      // The tmux server, and so the command it runs, gets the sandbox's environment.
      await run(
        'tmux',
        ['-L', SOCKET, '-f', '/dev/null', 'new-session', '-d', '-s', 'watch', '-x', '150', '-y', '40'].concat(
          ['-c', sandbox.env.HOME ?? '.', '--', ...cliCommand(['status', '--watch', '1'])],
        ),
        { env: { ...sandbox.env, TERM: 'xterm-256color' } },
      );

      await expect.poll(screen, { timeout: 30_000, interval: 200 }).toMatch(/Usage\s+5-hour limit: 42% used/);
      const before = await screen();
      expect(before).toMatch(/Updated .*, every 1s\. Ctrl-C to stop\./);
      const usageRequests = emulator.requestsTo('usage').length;

      emulator.setRateLimits({ primary: { usedPercent: 77 } });
      await expect.poll(screen, { timeout: 10_000, interval: 200 }).toMatch(/Usage\s+5-hour limit: 77% used/);
      const after = await screen();
      // Redrawn in place: the old figure is gone from the screen, and the header shows once.
      expect(after).not.toContain('42% used');
      expect(after.match(/Logged in with ChatGPT/g)).toHaveLength(1);
      expect(emulator.requestsTo('usage').length).toBeGreaterThan(usageRequests);

      // Ctrl-C ends the watch, and with it the session.
      await run('tmux', ['-L', SOCKET, 'send-keys', '-t', 'watch', 'C-c']);
      const sessionEnded = () =>
        run('tmux', ['-L', SOCKET, 'has-session', '-t', 'watch']).then(
          () => false,
          () => true,
        );
      await expect.poll(sessionEnded, { timeout: 10_000, interval: 200 }).toBe(true);
    } finally {
      await run('tmux', ['-L', SOCKET, 'kill-server']).catch(() => {});
      await sandbox.cleanup();
    }
  });
});
