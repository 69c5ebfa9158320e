import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchConcurrency } from '../bench/concurrency';
import { CONTENDER_IDS } from '../bench/contenders';
import { benchFirstToken } from '../bench/first-token';
import { benchProxy, PROXY_CLIENTS } from '../bench/proxy';
import { benchRefreshStorm } from '../bench/refresh-storm';
import { type RemoteEmulator, startRemoteEmulator } from '../bench/remote-emulator';
import { type BenchResults, figures, renderReport } from '../bench/report';
import { benchStreamMapping } from '../bench/stream-mapping';
import { benchToolLoopTransport } from '../bench/tool-loop-transport';
import { fixtureWorkloads, longAnswer, reasoningAndToolCalls } from '../bench/workloads';

/**
 * Runs every benchmark of `npm run bench` on a tiny input and checks the shape of what it reports, so
 * the benchmark code cannot rot unnoticed. Timings are not asserted.
 */

const positive = (value: number) => Number.isFinite(value) && value > 0;

describe('benchmarks on tiny inputs', () => {
  let emulator: RemoteEmulator;
  const results = { date: new Date(), durationSeconds: 1 } as BenchResults;

  beforeAll(async () => {
    emulator = await startRemoteEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('1. stream mapping: every contender maps every workload, ratios are computed per run', async () => {
    const workloads = [longAnswer(50), reasoningAndToolCalls(3), ...fixtureWorkloads().slice(0, 1)];
    const rows = await benchStreamMapping({ workloads, rounds: 2, batchMs: 1 });

    expect(rows.map(row => row.workload)).toEqual(workloads.map(w => w.name));
    expect(rows[0]!.events).toBeGreaterThan(50);
    for (const row of rows) {
      for (const id of CONTENDER_IDS) {
        expect(row.outputs[id]).toBeGreaterThan(0);
        expect(row.cpuMicros[id].runs).toBe(2);
        expect(positive(row.cpuMicros[id].median)).toBe(true);
      }
      for (const ratio of Object.values(row.ratios)) {
        expect(positive(ratio.median)).toBe(true);
        expect(ratio.min).toBeLessThanOrEqual(ratio.max);
      }
    }
    // The contract floor makes one part of every event the floor parses.
    for (const row of rows) expect(row.outputs.e).toBe(row.outputs.d);
    // 50 text deltas between text-start and text-end, plus stream-start, metadata and finish.
    expect(rows[0]!.outputs.a).toBe(50 + 5);
    results.streamMapping = rows;
  });

  it('2. first token: the time after the first delta arrives, for every contender', async () => {
    const result = await benchFirstToken({ emulator, trials: 3, pauseMs: 2 });
    for (const id of CONTENDER_IDS) {
      expect(result.added[id].samples).toBe(3);
      expect(result.added[id].p50).toBeGreaterThanOrEqual(0);
      expect(result.added[id].p90).toBeGreaterThanOrEqual(result.added[id].p50);
    }
    results.firstToken = result;
  });

  it('3. concurrency: throughput, memory per stream and the heap across sequential calls', async () => {
    const result = await benchConcurrency({
      emulator,
      streams: 5,
      deltas: 10,
      rounds: 2,
      sequentialCalls: 20,
    });
    expect(result.streams).toBe(5);
    expect(positive(result.throughput.a.median) && positive(result.throughput.b.median)).toBe(true);
    expect(positive(result.cpuPerStream.a.median)).toBe(true);
    expect(result.leak.calls).toBe(20);
    expect(result.leak.heapAfterGc).toHaveLength(11);
    expect(Number.isFinite(result.leak.bytesPerCall)).toBe(true);
    // Five small streams hold too little to be told from the heap's noise: only the shape is checked.
    expect(result.heldPerStream.a.runs).toBe(2);
    expect(Number.isFinite(result.heldPerStream.ratio.median)).toBe(true);
    results.concurrency = result;
  });

  it('4. refresh storm: one token-endpoint call for all calls on an expired token', async () => {
    const result = await benchRefreshStorm({ emulator, calls: 10, rounds: 1 });
    expect(result.tokenRequests).toEqual([1]);
    expect(result.failures).toBe(0);
    expect(Number.isFinite(result.p50.added.median)).toBe(true);
    results.refreshStorm = result;
  });

  it('5. proxy: added latency and requests per second under autocannon, over each transport', async () => {
    for (const transport of ['auto', 'sse'] as const) {
      const result = await benchProxy({
        emulator,
        transport,
        requests: 2,
        loadSeconds: 1,
        connections: 2,
        loadRounds: 1,
      });
      expect(result.transport).toBe(transport);
      expect(result.loadErrors).toBe(0);
      expect(positive(result.rps.proxy.median) && positive(result.rps.emulator.median)).toBe(true);
      expect(positive(result.direct.complete.p50)).toBe(true);
      for (const client of PROXY_CLIENTS) {
        expect(Number.isFinite(result.added[client].firstToken)).toBe(true);
        expect(positive(result.through[client].complete.p99)).toBe(true);
        expect(positive(result.hop[client].p50)).toBe(true);
      }
      if (transport === 'auto') results.proxy = result;
      else results.proxyOverSse = result;
    }
  });

  it('6. tool loop: the WebSocket sends the later steps incrementally, SSE the whole history', async () => {
    const result = await benchToolLoopTransport({ emulator, steps: 3, toolOutputChars: 2_000, rounds: 1 });
    const { websocket, sse, openai } = result.contenders;
    expect(websocket.bytesPerStep).toHaveLength(3);
    // Step 3 resends two tool results over SSE, none of them over the WebSocket.
    expect(sse.bytesPerStep[2]).toBeGreaterThan(4_000);
    expect(websocket.bytesPerStep[2]).toBeLessThan(3_000);
    expect(openai.totalBytes).toBeGreaterThan(websocket.totalBytes);
    expect(positive(websocket.firstTokenMs.p50) && positive(sse.cpuMicrosPerStep.p50)).toBe(true);
    results.toolLoopTransport = result;
  });

  it('renders every figure with its target into the report', () => {
    const all = figures(results);
    expect(all.length).toBe(results.streamMapping.length * 3 + 16);
    expect(all.filter(figure => figure.met === undefined).map(figure => figure.benchmark)).toEqual([
      ...results.streamMapping.map(() => '1 stream mapping'),
      '3 concurrency',
      '4 refresh storm',
      '5 proxy',
      '5 proxy',
      '5 proxy',
      '5 proxy over SSE',
    ]);
    const report = renderReport(results);
    expect(report).toContain(`| Node.js | ${process.version} |`);
    for (const figure of all)
      expect(report).toContain(`| ${figure.figure} | ${figure.value} | ${figure.target} |`);
  });
});
