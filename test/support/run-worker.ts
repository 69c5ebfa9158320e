import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const bundles = new Map<string, Promise<string>>();
// Inside node_modules, so that the bundles' bare imports (ioredis, koffi, …) resolve from the repo.
const bundleDir = fileURLToPath(new URL('../../node_modules/.cache/credentials-tests/', import.meta.url));

/**
 * Bundles a worker script of this folder once per test process: plain `node` then starts it in a fraction of
 * the time a TypeScript loader takes, which keeps process races and kill loops quick on a busy machine. Named
 * by content, so test files running at once share a bundle and nothing piles up between runs.
 */
function buildWorker(script: string): Promise<string> {
  let bundle = bundles.get(script);
  if (bundle == null) {
    bundle = (async () => {
      const { outputFiles } = await build({
        entryPoints: [fileURLToPath(new URL(`./${script}.ts`, import.meta.url))],
        write: false,
        outfile: join(bundleDir, `${script}.mjs`),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        packages: 'external',
        logLevel: 'error',
      });
      const code = outputFiles[0]!.contents;
      const path = join(
        bundleDir,
        `${script}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`,
      );
      if (!existsSync(path)) {
        await mkdir(bundleDir, { recursive: true });
        const temp = `${path}.${process.pid}.tmp`;
        await writeFile(temp, code);
        await rename(temp, path);
      }
      return path;
    })();
    bundles.set(script, bundle);
  }
  return bundle;
}

export interface WorkerResult {
  status?: number;
  error?: string;
  reason?: string;
  [key: string]: unknown;
}

interface Worker {
  /** Resolves once the worker is set up and waiting for the go file. */
  ready: Promise<void>;
  result: Promise<WorkerResult>;
  /** Sends `signal`; `false` when the worker had already exited. */
  kill(signal: NodeJS.Signals): boolean;
}

/**
 * Starts a worker script of this folder (default `credentials-worker`) in its own Node process, optionally
 * behind a wrapper command such as `scripts/with-keyring.sh`.
 */
export async function startWorker(
  env: Record<string, string>,
  { wrapper = [] as string[], script = 'credentials-worker' } = {},
): Promise<Worker> {
  const bundle = await buildWorker(script);
  const command = [...wrapper, process.execPath, bundle];
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>(resolve => {
    markReady = resolve;
  });
  child.stdout.on('data', chunk => {
    stdout += chunk;
    if (stdout.includes('ready\n')) markReady();
  });
  child.stderr.on('data', chunk => {
    stderr += chunk;
  });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', code => {
      const line = stdout.trim().split('\n').pop();
      if (line?.startsWith('{')) resolve(JSON.parse(line) as WorkerResult);
      else reject(new Error(`worker exited ${code} without a result: ${stderr.slice(-2000)}`));
    });
  });
  // A worker that dies before it is ready must not leave the caller waiting.
  return {
    ready: Promise.race([ready, result.then(() => {})]),
    result,
    kill: signal => child.exitCode == null && child.signalCode == null && child.kill(signal),
  };
}

/** Starts `count` workers, waits until every one is ready, then lets them all go at once. */
export async function raceWorkers(
  count: number,
  goFile: string,
  env: Record<string, string>,
  options?: { wrapper?: string[] },
): Promise<WorkerResult[]> {
  const workers = await Promise.all(
    Array.from({ length: count }, () => startWorker({ ...env, WORKER_GO_FILE: goFile }, options)),
  );
  await Promise.all(workers.map(w => w.ready));
  await writeFile(goFile, 'go');
  return Promise.all(workers.map(w => w.result));
}
