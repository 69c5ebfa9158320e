import { messageItem, turn } from '../src/testing';
import { type Consume, codexContender, openaiContender } from './contenders';
import { fullGc, jsMemory } from './gc';
import { loopbackEndpoint } from './loopback-endpoint';
import type { RemoteEmulator } from './remote-emulator';
import { type Spread, slope, spread } from './stats';
import { turnFrames } from './workloads';

export interface ConcurrencyOptions {
  emulator: RemoteEmulator;
  /** Streams open at once. Default 500. */
  streams?: number;
  /** Text deltas per stream. Default 200. */
  deltas?: number;
  /** Runs per contender, alternating (peak memory depends on when the collector runs: more runs, steadier median). Default 5. */
  rounds?: number;
  /** Sequential calls of the leak check. Default 10,000. */
  sequentialCalls?: number;
}

export interface ConcurrencyResult {
  streams: number;
  /** Completed streams per second of wall time, per run. */
  throughput: { a: Spread; b: Spread; ratio: Spread };
  /** Client CPU time per stream in microseconds. */
  cpuPerStream: { a: Spread; b: Spread };
  /** Calls that failed before their stream started and were tried again, over all runs. */
  retries: { a: number; b: number };
  /** Peak JS memory (heap + external) above the idle baseline, per open stream, in bytes. */
  memoryPerStream: { a: Spread; b: Spread; ratio: Spread };
  /**
   * JS memory each open stream holds after a full collection, every stream having read its first token
   * of an answer that arrived whole, in bytes: what stays when the garbage the peak also counts is gone.
   */
  heldPerStream: { a: Spread; b: Spread; ratio: Spread };
  leak: {
    calls: number;
    /** Heap after full GC every tenth of the calls (the first after a warm-up tenth), in bytes. */
    heapAfterGc: number[];
    /** Least-squares growth of the heap after GC, in bytes per call. */
    bytesPerCall: number;
  };
}

/** A text answer of `deltas` deltas, written in one piece: the emulator stays cheap, the client reads what the socket delivers. */
function answer(deltas: number) {
  const chunks = Array.from({ length: deltas }, (_, i) => (i === 0 ? 'Word' : ` word${i}`));
  return {
    type: 'sse' as const,
    chunks: [turnFrames(turn([messageItem(chunks.join(''), { chunks })])).join('')],
  };
}

/** `consume`, tried again when it fails before its stream starts, as `ai` would (up to 2 retries). */
function withRetries(consume: Consume, onRetry: () => void): Consume {
  return async options => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const parts = await consume(options);
      if (parts >= 3) return parts;
      onRetry();
    }
    return 0;
  };
}

async function runConcurrent(consume: Consume, streams: number) {
  fullGc();
  const baseline = jsMemory();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, jsMemory());
  }, 5);
  const cpu = process.cpuUsage();
  const start = performance.now();
  let retries = 0;
  const consumeWithRetries = withRetries(consume, () => retries++);
  const completed = await Promise.all(Array.from({ length: streams }, () => consumeWithRetries()));
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, jsMemory());
  if (completed.includes(0)) throw new Error('A stream of the concurrency benchmark failed three times.');
  return {
    retries,
    throughput: (streams / wallMs) * 1000,
    cpuPerStream: (used.user + used.system) / streams,
    memoryPerStream: (peak - baseline) / streams,
  };
}

/** JS memory per stream held after a full collection, with `streams` streams open at their first token. */
async function measureHeld(consume: Consume, streams: number): Promise<number> {
  fullGc();
  const baseline = jsMemory();
  let release!: () => void;
  const hold = new Promise<void>(resolve => {
    release = resolve;
  });
  const consumeWithRetries = withRetries(consume, () => {});
  // A stream is ready to be measured at its first token, or once it has failed for good.
  const runs = Array.from({ length: streams }, () => {
    let ready!: () => void;
    const atFirstToken = new Promise<void>(resolve => {
      ready = resolve;
    });
    const parts = consumeWithRetries({ onFirstText: ready, hold }).finally(ready);
    return { atFirstToken, parts };
  });
  await Promise.all(runs.map(run => run.atFirstToken));
  fullGc();
  const held = (jsMemory() - baseline) / streams;
  release();
  if ((await Promise.all(runs.map(run => run.parts))).includes(0))
    throw new Error('A stream of the held-memory measure failed three times.');
  return held;
}

/**
 * Benchmark 3: many streams at once against the emulator (in its own process), this provider against
 * `@ai-sdk/openai`; then the heap across many sequential calls, which must stay flat.
 */
export async function benchConcurrency(options: ConcurrencyOptions): Promise<ConcurrencyResult> {
  const { emulator } = options;
  const streams = options.streams ?? 500;
  const rounds = options.rounds ?? 5;
  const calls = options.sequentialCalls ?? 10_000;
  // Answers left queued by an earlier benchmark would be served first.
  await emulator.reset();
  const { login } = await emulator.login();
  const endpoint = loopbackEndpoint({
    baseURL: emulator.baseURL,
    accessToken: login.accessToken,
    accountId: login.accountId,
  });
  // The plain global fetch, as apps use it (the arrival probe is for the first-token benchmark only).
  const direct = { ...endpoint, fetch: globalThis.fetch };
  const contenders = { a: codexContender(direct), b: openaiContender(direct) };

  // Two measures per round and contender, each call tried up to three times.
  await emulator.enqueue(answer(options.deltas ?? 200), streams * rounds * 2 * 2 * 3 + 20);
  for (let i = 0; i < 10; i++) {
    await contenders.a();
    await contenders.b();
  }

  const runs = {
    a: [] as Awaited<ReturnType<typeof runConcurrent>>[],
    b: [] as Awaited<ReturnType<typeof runConcurrent>>[],
  };
  const held = { a: [] as number[], b: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const id of round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
      runs[id].push(await runConcurrent(contenders[id], streams));
      held[id].push(await measureHeld(contenders[id], streams));
    }
  }

  // Leak check: sequential calls of this provider; the heap after GC must not grow with the calls.
  const step = Math.max(1, Math.floor(calls / 10));
  await emulator.reset();
  await emulator.enqueue(answer(20), calls + step);
  for (let i = 0; i < step; i++) await contenders.a();
  const heapAfterGc: number[] = [];
  const at: number[] = [];
  for (let i = 0; i < calls; i++) {
    if (i % step === 0) {
      fullGc();
      heapAfterGc.push(process.memoryUsage().heapUsed);
      at.push(i);
    }
    await contenders.a();
  }
  fullGc();
  heapAfterGc.push(process.memoryUsage().heapUsed);
  at.push(calls);

  const pick = (id: 'a' | 'b', key: 'throughput' | 'cpuPerStream' | 'memoryPerStream') =>
    runs[id].map(run => run[key]);
  const ratio = (key: 'throughput' | 'memoryPerStream') =>
    spread(pick('a', key).map((value, i) => value / pick('b', key)[i]!));
  return {
    streams,
    throughput: {
      a: spread(pick('a', 'throughput')),
      b: spread(pick('b', 'throughput')),
      ratio: ratio('throughput'),
    },
    cpuPerStream: { a: spread(pick('a', 'cpuPerStream')), b: spread(pick('b', 'cpuPerStream')) },
    retries: {
      a: runs.a.reduce((sum, run) => sum + run.retries, 0),
      b: runs.b.reduce((sum, run) => sum + run.retries, 0),
    },
    memoryPerStream: {
      a: spread(pick('a', 'memoryPerStream')),
      b: spread(pick('b', 'memoryPerStream')),
      ratio: ratio('memoryPerStream'),
    },
    heldPerStream: {
      a: spread(held.a),
      b: spread(held.b),
      ratio: spread(held.a.map((value, i) => value / held.b[i]!)),
    },
    leak: { calls, heapAfterGc, bytesPerCall: slope(at, heapAfterGc) },
  };
}
