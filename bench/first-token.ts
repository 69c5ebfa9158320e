import { textTurn } from '../src/testing';
import { CONTENDER_IDS, CONTENDER_NAMES, type ContenderId, createContenders } from './contenders';
import { loopbackEndpoint } from './loopback-endpoint';
import type { RemoteEmulator } from './remote-emulator';
import { percentile } from './stats';
import { turnFrames } from './workloads';

export interface FirstTokenOptions {
  emulator: RemoteEmulator;
  /** Streams per contender. Default 100. */
  trials?: number;
  /** Pause of the emulator before the first delta and before the rest, in ms. Default 8. */
  pauseMs?: number;
}

export interface FirstTokenResult {
  /** Milliseconds from the arrival of the bytes holding the first delta to the first text part, per contender. */
  added: Record<ContenderId, { p50: number; p90: number; samples: number }>;
}

/**
 * Benchmark 2: time to first token added by the client. The emulator sends the response head, pauses,
 * sends the first text delta alone, pauses again, then the rest; the time from the arrival of the
 * delta's bytes (noted by the fetch) to the first text part reaching the consumer is what each adds.
 */
export async function benchFirstToken(options: FirstTokenOptions): Promise<FirstTokenResult> {
  const { emulator } = options;
  const trials = options.trials ?? 100;
  const frames = turnFrames(
    textTurn('The first token arrives alone, and then the rest of a short answer follows it.'),
  );
  const firstDelta = frames.findIndex(frame => frame.startsWith('event: response.output_text.delta'));
  const chunks = [
    frames.slice(0, firstDelta).join(''),
    frames[firstDelta]!,
    frames.slice(firstDelta + 1).join(''),
  ];
  // Answers left queued by an earlier benchmark would be served first.
  await emulator.reset();
  const ids = CONTENDER_IDS;
  await emulator.enqueue(
    { type: 'sse', chunks, delayMs: options.pauseMs ?? 8 },
    trials * ids.length + ids.length,
  );

  const { login } = await emulator.login();
  const endpoint = loopbackEndpoint({
    baseURL: emulator.baseURL,
    accessToken: login.accessToken,
    accountId: login.accountId,
  });
  const contenders = createContenders(endpoint);
  const samples: Record<ContenderId, number[]> = { a: [], b: [], c: [], d: [], e: [] };

  const trial = async (id: ContenderId) => {
    let added = Number.NaN;
    await contenders[id]({
      onFirstText: () => {
        added = performance.now() - endpoint.lastArrival;
      },
    });
    if (Number.isNaN(added))
      throw new Error(`${CONTENDER_NAMES[id]} produced no text in the first-token benchmark.`);
    return added;
  };

  for (const id of ids) await trial(id); // warm-up: connections and JIT
  for (let i = 0; i < trials; i++) {
    for (let k = 0; k < ids.length; k++) {
      const id = ids[(i + k) % ids.length]!;
      samples[id].push(await trial(id));
    }
  }

  const summary = (values: number[]) => ({
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    samples: values.length,
  });
  return {
    added: {
      a: summary(samples.a),
      b: summary(samples.b),
      c: summary(samples.c),
      d: summary(samples.d),
      e: summary(samples.e),
    },
  };
}
