import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from './free-port';

const ROOT = resolve(import.meta.dirname, '../..');
export const NEXT_CHAT_DIR = resolve(ROOT, 'examples/next-chat');
const NEXT_BIN = resolve(NEXT_CHAT_DIR, 'node_modules/next/dist/bin/next');

/** Runs a command to completion; rejects with the end of its output when it fails. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', chunk => {
      output += chunk;
    });
    child.stderr.on('data', chunk => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('close', code => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output.slice(-6000)}`));
    });
  });
}

/**
 * Builds `examples/next-chat` with `next build`, installing its dependencies from its lock file first when
 * they are missing. The example uses the package's build output (`file:../..`), so the root must be built.
 */
export async function buildNextChat(): Promise<void> {
  if (!existsSync(resolve(ROOT, 'dist/index.js'))) {
    throw new Error(
      'dist/ is missing: run `npm run build` at the repository root first (the example uses the build).',
    );
  }
  if (!existsSync(NEXT_BIN)) {
    await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: NEXT_CHAT_DIR });
  }
  await run(process.execPath, [NEXT_BIN, 'build'], {
    cwd: NEXT_CHAT_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
}

export interface NextServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `next start` of the built example on a random loopback port, with only `env` (plus PATH) as its
 * environment, so nothing of the user's own login or settings leaks in.
 */
export async function startNextChat(env: Record<string, string>): Promise<NextServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
    {
      cwd: NEXT_CHAT_DIR,
      env: { PATH: process.env.PATH, NEXT_TELEMETRY_DISABLED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that stopping it also stops any worker it started.
      detached: true,
    },
  );
  let output = '';
  child.stdout?.on('data', chunk => {
    output += chunk;
  });
  child.stderr?.on('data', chunk => {
    output += chunk;
  });
  const server: NextServer = {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () => stopGroup(child),
  };
  try {
    await waitUntilServing(server.url, child, () => output);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode != null) throw new Error(`next start exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise(resolvePromise => setTimeout(resolvePromise, 200));
  }
  throw new Error(`next start did not answer on ${url} within 60 s:\n${output()}`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode != null || child.signalCode != null || child.pid == null) return;
  const exited = new Promise(resolvePromise => child.once('exit', resolvePromise));
  process.kill(-child.pid, 'SIGTERM');
  const killed = setTimeout(() => {
    if (child.exitCode == null) process.kill(-child.pid!, 'SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(killed);
}
