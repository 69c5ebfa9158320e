/**
 * `npm run bench`: runs every benchmark of issue 7 in one process (the emulator in a child process) and
 * writes `bench/RESULTS.md`. Takes a few minutes on 2 cores.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { benchConcurrency } from './concurrency';
import { benchFirstToken } from './first-token';
import { benchProxy } from './proxy';
import { benchRefreshStorm } from './refresh-storm';
import { startRemoteEmulator } from './remote-emulator';
import { type BenchResults, figures, renderReport } from './report';
import { benchStreamMapping } from './stream-mapping';
import { benchToolLoopTransport } from './tool-loop-transport';
import { fixtureWorkloads, longAnswer, reasoningAndToolCalls } from './workloads';

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  process.stderr.write(`${name}… `);
  const result = await run();
  process.stderr.write(`${((performance.now() - start) / 1000).toFixed(0)} s\n`);
  return result;
}

const started = performance.now();
const fixtures = fixtureWorkloads();

const streamMapping = await step('1. stream mapping', () =>
  benchStreamMapping({ workloads: [longAnswer(), reasoningAndToolCalls(), ...fixtures] }),
);
const emulator = await startRemoteEmulator();
try {
  const firstToken = await step('2. first token', () => benchFirstToken({ emulator }));
  const concurrency = await step('3. concurrency', () => benchConcurrency({ emulator }));
  const refreshStorm = await step('4. refresh storm', () => benchRefreshStorm({ emulator }));
  const proxy = await step('5. proxy (default transport)', () => benchProxy({ emulator }));
  const proxyOverSse = await step('5. proxy (SSE)', () => benchProxy({ emulator, transport: 'sse' }));
  const toolLoopTransport = await step('6. tool loop: WebSocket vs SSE', () =>
    benchToolLoopTransport({ emulator }),
  );

  const results: BenchResults = {
    date: new Date(),
    durationSeconds: (performance.now() - started) / 1000,
    streamMapping,
    firstToken,
    concurrency,
    refreshStorm,
    proxy,
    proxyOverSse,
    toolLoopTransport,
  };
  const target = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
  await writeFile(target, renderReport(results));
  const all = figures(results);
  const missed = all.filter(figure => figure.met === false);
  process.stderr.write(
    `Wrote ${target}: ${all.filter(f => f.met === true).length} targets met, ${missed.length} missed.\n`,
  );
  for (const figure of missed)
    process.stderr.write(`  missed: ${figure.figure}: ${figure.value} (target ${figure.target})\n`);
} finally {
  await emulator.close();
}
