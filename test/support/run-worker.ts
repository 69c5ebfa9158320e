import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const worker = fileURLToPath(new URL('./credentials-worker.ts', import.meta.url));

export interface WorkerResult {
  status?: number;
  error?: string;
  reason?: string;
}

interface Worker {
  /** Resolves once the worker is set up and waiting for the go file. */
  ready: Promise<void>;
  result: Promise<WorkerResult>;
}

/** Starts `credentials-worker.ts` in its own Node process (optionally behind a wrapper command). */
export function startWorker(env: Record<string, string>, { wrapper = [] as string[] } = {}): Worker {
  const command = [...wrapper, process.execPath, '--import', 'tsx', worker];
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
  return { ready: Promise.race([ready, result.then(() => {})]), result };
}

/** Starts `count` workers, waits until every one is ready, then lets them all go at once. */
export async function raceWorkers(
  count: number,
  goFile: string,
  env: Record<string, string>,
  options?: { wrapper?: string[] },
): Promise<WorkerResult[]> {
  const workers = Array.from({ length: count }, () =>
    startWorker({ ...env, WORKER_GO_FILE: goFile }, options),
  );
  await Promise.all(workers.map(w => w.ready));
  await writeFile(goFile, 'go');
  return Promise.all(workers.map(w => w.result));
}
