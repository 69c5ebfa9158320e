import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCodex, createDefaultCodexAuth } from 'ai-sdk-provider-codex';
import { messageItem, turn } from '../src/testing';
import { prompt } from './contenders';
import type { RemoteEmulator } from './remote-emulator';
import { percentile, type Spread, spread } from './stats';
import { turnFrames } from './workloads';

export interface RefreshStormOptions {
  emulator: RemoteEmulator;
  /** Concurrent calls. Default 1,000. */
  calls?: number;
  /** Pairs of runs (a valid token, then an expired one). Default 3. */
  rounds?: number;
}

export interface RefreshStormResult {
  calls: number;
  /** Token-endpoint requests of each storm run (each must be 1). */
  tokenRequests: number[];
  /** Calls that failed three times, over all runs (must be 0). */
  failures: number;
  /** Calls tried again after a failed attempt (connection reset under load), over all runs. */
  retries: number;
  /** Median latency of a call with a valid token and with an expired one, and the difference, in ms. */
  p50: { valid: Spread; expired: Spread; added: Spread };
  /** Latency of the slowest call, likewise. */
  max: { valid: Spread; expired: Spread; added: Spread };
}

/**
 * Benchmark 4: many concurrent calls on an expired token, through the default auth on a Codex CLI
 * `auth.json` (its file lock included). Only one refresh may reach the token endpoint; the latency
 * it adds is measured against the same calls on a valid token, run alternately.
 */
export async function benchRefreshStorm(options: RefreshStormOptions): Promise<RefreshStormResult> {
  const { emulator } = options;
  const calls = options.calls ?? 1000;
  const rounds = options.rounds ?? 3;
  // Answers left queued by an earlier benchmark would be served first.
  await emulator.reset();
  const frames = turnFrames(turn([messageItem('Refreshed once, answered many times.')]));
  await emulator.enqueue({ type: 'sse', chunks: [frames.join('')] }, calls * rounds * 3);

  const runs = {
    valid: [] as Array<{ p50: number; max: number }>,
    expired: [] as Array<{ p50: number; max: number }>,
  };
  const tokenRequests: number[] = [];
  let failures = 0;
  let retries = 0;

  const run = async (expired: boolean) => {
    const codexHome = await mkdtemp(path.join(tmpdir(), 'bench-codex-home-'));
    try {
      const { authJson } = await emulator.login({ expired });
      await writeFile(path.join(codexHome, 'auth.json'), JSON.stringify(authJson), { mode: 0o600 });
      const auth = createDefaultCodexAuth({
        codexHome,
        env: {},
        keychain: false,
        tokenURL: emulator.tokenURL,
      });
      const model = createCodex({ baseURL: emulator.baseURL, auth }).languageModel('gpt-5.5');
      const before = (await emulator.counters()).tokenRequests;
      const latencies = await Promise.all(
        Array.from({ length: calls }, async () => {
          const start = performance.now();
          // A call whose connection fails is tried again, as `ai` would (up to 2 retries).
          for (let attempt = 0; attempt < 3; attempt++) {
            try {
              const { stream } = await model.doStream({ prompt });
              const reader = stream.getReader();
              while (!(await reader.read()).done) {}
              return performance.now() - start;
            } catch {
              retries++;
            }
          }
          failures++;
          return performance.now() - start;
        }),
      );
      if (expired) tokenRequests.push((await emulator.counters()).tokenRequests - before);
      runs[expired ? 'expired' : 'valid'].push({
        p50: percentile(latencies, 50),
        max: Math.max(...latencies),
      });
    } finally {
      await rm(codexHome, { recursive: true, force: true });
    }
  };

  for (let round = 0; round < rounds; round++) {
    await run(false);
    await run(true);
  }

  const summary = (key: 'p50' | 'max') => ({
    valid: spread(runs.valid.map(r => r[key])),
    expired: spread(runs.expired.map(r => r[key])),
    added: spread(runs.expired.map((r, i) => r[key] - runs.valid[i]![key])),
  });
  return { calls, tokenRequests, failures, retries, p50: summary('p50'), max: summary('max') };
}
