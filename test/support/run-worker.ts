import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const bundles = new Map<string, Promise<string>>();

/**
 * Bundles a worker script of this folder once per test process: plain `node` then starts it in a fraction of
 * the time a TypeScript loader takes, which keeps process races and kill loops quick on a busy machine.
 */
function buildWorker(script: string): Promise<string> {
  let bundle = bundles.get(script);
  if (bundle == null) {
    // Inside node_modules so that the bundle's bare imports (ioredis, koffi, …) resolve from the repo.
    const outfile = fileURLToPath(
      new URL(`../../node_modules/.cache/credentials-tests/${script}-${process.pid}.mjs`, import.meta.url),
    );
    bundle = build({
      entryPoints: [fileURLToPath(new URL(`./${script}.ts`, import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    }).then(() => outfile);
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
