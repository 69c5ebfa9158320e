import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CodexAuth, createCodex, createDefaultCodexAuth } from 'ai-sdk-provider-codex';
import { messageItem, turn } from '../src/testing';
import { prompt } from './contenders';
import type { RemoteEmulator } from './remote-emulator';
import { percentile, type Spread, spread } from './stats';
import { turnFrames } from './workloads';

export interface RefreshStormOptions {
  emulator: RemoteEmulator;
  /** Concurrent calls. Default 1,000. */
  calls?: number;
  /** Pairs of runs (one on a valid token, one on an expired token). Default 3. */
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
  /**
   * How long calls waited for their credentials, median and slowest, likewise: the refresh shows here,
   * where it is not lost in the noise of 1,000 streams sharing one loopback.
   */
  credentialsWait: {
    p50: { valid: Spread; expired: Spread; added: Spread };
    max: { valid: Spread; expired: Spread; added: Spread };
  };
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
  await emulator.enqueue({ type: 'sse', chunks: [frames.join('')] }, calls * (rounds * 2 + 1) * 3);

  type Run = { p50: number; max: number; waitP50: number; waitMax: number };
  const runs = { valid: [] as Run[], expired: [] as Run[] };
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
      const waits: number[] = [];
      const timedAuth: CodexAuth = {
        async getCredentials(options) {
          const start = performance.now();
          const credentials = await auth.getCredentials(options);
          waits.push(performance.now() - start);
          return credentials;
        },
        handleUnauthorized: (rejected, options) => auth.handleUnauthorized(rejected, options),
      };
      const model = createCodex({ baseURL: emulator.baseURL, auth: timedAuth }).languageModel('gpt-5.5');
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
        waitP50: percentile(waits, 50),
        waitMax: Math.max(...waits),
      });
    } finally {
      await rm(codexHome, { recursive: true, force: true });
    }
  };

  // A first run warms up the connections and the JIT; then the order alternates, so that neither kind
  // of run is always the one after the other.
  await run(false);
  runs.valid.length = 0;
  for (let round = 0; round < rounds; round++) {
    const expiredFirst = round % 2 === 1;
    await run(expiredFirst);
    await run(!expiredFirst);
  }

  const summary = (key: keyof Run) => ({
    valid: spread(runs.valid.map(r => r[key])),
    expired: spread(runs.expired.map(r => r[key])),
    added: spread(runs.expired.map((r, i) => r[key] - runs.valid[i]![key])),
  });
  return {
    calls,
    tokenRequests,
    failures,
    retries,
    p50: summary('p50'),
    max: summary('max'),
    credentialsWait: { p50: summary('waitP50'), max: summary('waitMax') },
  };
}
