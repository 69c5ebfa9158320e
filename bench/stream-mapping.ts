import { CONTENDER_IDS, type Consume, type ContenderId, createContenders } from './contenders';
import { memoryEndpoint } from './memory-endpoint';
import { type Spread, spread } from './stats';
import type { Workload } from './workloads';

export interface StreamMappingOptions {
  workloads: Workload[];
  /** Measured runs per workload; each run measures every contender once, in a rotated order. Default 11. */
  rounds?: number;
  /** CPU time each contender spends per run (the iteration count is calibrated to it). Default 60 ms. */
  batchMs?: number;
}

export interface StreamMappingRow {
  workload: string;
  events: number;
  /** CPU time per pass over the workload, in microseconds. */
  cpuMicros: Record<ContenderId, Spread>;
  /** Per-run ratios of (a) to each other contender (lower is better for (a)). */
  ratios: { ab: Spread; ac: Spread; ad: Spread; ae: Spread };
  /** Stream parts or events each contender produced in one pass (a sanity check that all did the work). */
  outputs: Record<ContenderId, number>;
}

function cpuMicrosSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/**
 * Benchmark 1: CPU time to turn the same SSE bytes into stream parts, for each contender, served from
 * memory. Contenders are interleaved within every run, so a noisy neighbour hits all of them alike.
 */
export async function benchStreamMapping(options: StreamMappingOptions): Promise<StreamMappingRow[]> {
  const rounds = options.rounds ?? 11;
  const batchMs = options.batchMs ?? 60;
  const endpoint = memoryEndpoint();
  const contenders = createContenders(endpoint);
  const rows: StreamMappingRow[] = [];

  for (const workload of options.workloads) {
    const pass = async (consume: Consume) => {
      let produced = 0;
      for (const response of workload.responses) {
        endpoint.serve(response);
        produced += await consume();
      }
      return produced;
    };

    // Warm up (JIT) and calibrate how many passes fill one batch.
    const iterations = {} as Record<ContenderId, number>;
    const outputs = {} as Record<ContenderId, number>;
    for (const id of CONTENDER_IDS) {
      for (let i = 0; i < 2; i++) await pass(contenders[id]);
      const start = process.cpuUsage();
      outputs[id] = await pass(contenders[id]);
      const micros = Math.max(cpuMicrosSince(start), 1);
      iterations[id] = Math.max(1, Math.ceil((batchMs * 1000) / micros));
    }

    const samples: Record<ContenderId, number[]> = { a: [], b: [], c: [], d: [], e: [] };
    for (let round = 0; round < rounds; round++) {
      const order = CONTENDER_IDS.map((_, i) => CONTENDER_IDS[(i + round) % CONTENDER_IDS.length]!);
      for (const id of order) {
        const start = process.cpuUsage();
        for (let i = 0; i < iterations[id]; i++) await pass(contenders[id]);
        samples[id].push(cpuMicrosSince(start) / iterations[id]);
      }
    }

    const ratio = (other: ContenderId) => spread(samples.a.map((a, i) => a / samples[other][i]!));
    rows.push({
      workload: workload.name,
      events: workload.events,
      cpuMicros: {
        a: spread(samples.a),
        b: spread(samples.b),
        c: spread(samples.c),
        d: spread(samples.d),
        e: spread(samples.e),
      },
      ratios: { ab: ratio('b'), ac: ratio('c'), ad: ratio('d'), ae: ratio('e') },
      outputs,
    });
  }
  return rows;
}
