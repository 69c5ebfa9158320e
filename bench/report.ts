import { cpus, loadavg, release, totalmem } from 'node:os';
import type { ConcurrencyResult } from './concurrency';
import { CONTENDER_IDS, CONTENDER_NAMES } from './contenders';
import type { FirstTokenResult } from './first-token';
import type { ProxyClient, ProxyResult } from './proxy';
import type { RefreshStormResult } from './refresh-storm';
import type { Spread } from './stats';
import type { StreamMappingRow } from './stream-mapping';
import { type ToolLoopTransportResult, TRANSPORT_CONTENDER_NAMES } from './tool-loop-transport';

export interface BenchResults {
  date: Date;
  durationSeconds: number;
  streamMapping: StreamMappingRow[];
  firstToken: FirstTokenResult;
  concurrency: ConcurrencyResult;
  refreshStorm: RefreshStormResult;
  /** The proxy with the provider's default transport (what the targets are judged on), and over SSE. */
  proxy: ProxyResult;
  proxyOverSse: ProxyResult;
  toolLoopTransport: ToolLoopTransportResult;
}

/** One line of the summary: a measured figure, its target and whether it is met (`undefined`: no target). */
export interface Figure {
  benchmark: string;
  figure: string;
  value: string;
  target: string;
  met: boolean | undefined;
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);
const ratioText = (s: Spread) => `${fixed(s.median)} (${fixed(s.min)}–${fixed(s.max)})`;
const ms = (value: number) => `${fixed(value, value < 10 ? 2 : 0)} ms`;
const micros = (value: number) =>
  value >= 10_000 ? `${fixed(value / 1000, 1)} ms` : `${Math.round(value).toLocaleString('en-US')} µs`;
const bytes = (value: number) =>
  Math.abs(value) >= 1024 * 1024
    ? `${fixed(value / 1024 / 1024, 1)} MiB`
    : Math.abs(value) >= 1024
      ? `${fixed(value / 1024, 1)} KiB`
      : `${Math.round(value)} B`;

/** The proxy's added latency at the median, with the tails of both paths (their slowest requests differ). */
const addedWithTails = (r: ProxyResult, client: ProxyClient, key: 'firstToken' | 'complete') =>
  `${ms(r.added[client][key])} (p99 ${ms(r.through[client][key].p99)} / ${ms(r.direct[key].p99)})`;

/** Every figure of the run with its target, in the order of the issue. */
export function figures(results: BenchResults): Figure[] {
  const out: Figure[] = [];
  for (const row of results.streamMapping) {
    const { ab, ac, ad, ae } = row.ratios;
    out.push(
      {
        benchmark: '1 stream mapping',
        figure: `${row.workload}: a/e (contract floor)`,
        value: ratioText(ae),
        target: '≤ 1.3',
        met: ae.median <= 1.3,
      },
      {
        benchmark: '1 stream mapping',
        figure: `${row.workload}: a/b`,
        value: ratioText(ab),
        target: '≤ 0.9',
        met: ab.median <= 0.9,
      },
      {
        benchmark: '1 stream mapping',
        figure: `${row.workload}: a/c, a/d (references)`,
        value: `${ratioText(ac)}; ${ratioText(ad)}`,
        target: 'reported',
        met: undefined,
      },
    );
  }
  const ttft = results.firstToken.added.a;
  out.push({
    benchmark: '2 first token',
    figure: 'time added after the first SSE byte, p50 (p90)',
    value: `${ms(ttft.p50)} (${ms(ttft.p90)})`,
    target: 'p50 ≤ 1 ms',
    met: ttft.p50 <= 1,
  });
  const c = results.concurrency;
  out.push(
    {
      benchmark: '3 concurrency',
      figure: `${c.streams} concurrent streams: throughput a/b`,
      value: ratioText(c.throughput.ratio),
      target: '≥ 1.0',
      met: c.throughput.ratio.median >= 1,
    },
    {
      benchmark: '3 concurrency',
      figure: `peak memory per stream, a (a/b)`,
      value: `${bytes(c.memoryPerStream.a.median)} (${ratioText(c.memoryPerStream.ratio)})`,
      target: 'a/b ≤ 1.0',
      met: c.memoryPerStream.ratio.median <= 1,
    },
    {
      benchmark: '3 concurrency',
      figure: 'memory held per stream after a full GC, a (a/b)',
      value: `${bytes(c.heldPerStream.a.median)} (${ratioText(c.heldPerStream.ratio)})`,
      target: 'reported',
      met: undefined,
    },
    {
      benchmark: '3 concurrency',
      figure: `heap growth over ${c.leak.calls.toLocaleString('en-US')} sequential calls`,
      value: `${fixed(c.leak.bytesPerCall, 1)} B/call (${bytes(c.leak.heapAfterGc.at(-1)! - c.leak.heapAfterGc[0]!)} in all)`,
      target: '≤ 100 B/call (flat)',
      met: c.leak.bytesPerCall <= 100,
    },
  );
  const r = results.refreshStorm;
  out.push(
    {
      benchmark: '4 refresh storm',
      figure: `token-endpoint calls per ${r.calls.toLocaleString('en-US')} concurrent calls on an expired token`,
      value: `${r.tokenRequests.join(', ')} (failed calls: ${r.failures})`,
      target: '1, no failed call',
      met: r.tokenRequests.every(n => n === 1) && r.failures === 0,
    },
    {
      benchmark: '4 refresh storm',
      figure: 'latency the refresh adds to a call (wait for credentials), p50 (slowest call)',
      value: `${ms(r.credentialsWait.p50.added.median)} (${ms(r.credentialsWait.max.added.median)})`,
      target: 'reported',
      met: undefined,
    },
  );
  const p = results.proxy;
  const q = results.proxyOverSse;
  out.push(
    {
      benchmark: '5 proxy',
      figure:
        'added latency of streamed /v1/chat/completions to first token, p50 (node:http client; p99 through the proxy / direct)',
      value: addedWithTails(p, 'http', 'firstToken'),
      target: 'p50 ≤ 1 ms',
      met: p.added.http.firstToken <= 1,
    },
    {
      benchmark: '5 proxy',
      figure: 'the same with fetch (undici) as the client',
      value: addedWithTails(p, 'fetch', 'firstToken'),
      target: 'reported',
      met: undefined,
    },
    {
      benchmark: '5 proxy',
      figure: 'an HTTP hop alone (a bare server answering at once), first token p50, node:http / fetch',
      value: `${ms(p.hop.http.p50)} / ${ms(p.hop.fetch.p50)}`,
      target: 'reported',
      met: undefined,
    },
    {
      benchmark: '5 proxy',
      figure:
        'added latency to the end of the stream, p50 (node:http client; p99 through the proxy / direct)',
      value: addedWithTails(p, 'http', 'complete'),
      target: 'reported',
      met: undefined,
    },
    {
      benchmark: '5 proxy',
      figure: 'streamed requests per second (autocannon); share of the emulator alone',
      value: `${fixed(p.rps.proxy.median, 0)} req/s; ${ratioText(p.rps.ratio)}`,
      target: '≥ 0.5, no failed request',
      met: p.rps.ratio.median >= 0.5 && p.loadErrors === 0,
    },
    {
      benchmark: '5 proxy over SSE',
      figure: 'added latency to first token p50, node:http / fetch; share of the emulator alone',
      value: `${ms(q.added.http.firstToken)} / ${ms(q.added.fetch.firstToken)}; ${ratioText(q.rps.ratio)}`,
      target: 'reported',
      met: undefined,
    },
  );
  const { websocket, sse } = results.toolLoopTransport.contenders;
  out.push(
    {
      benchmark: '6 tool loop transport',
      figure: `bytes sent over ${results.toolLoopTransport.steps} steps, WebSocket / SSE`,
      value: `${bytes(websocket.totalBytes)} / ${bytes(sse.totalBytes)} = ${fixed(websocket.totalBytes / sse.totalBytes, 3)}`,
      target: '≤ 0.1',
      met: websocket.totalBytes <= sse.totalBytes / 10,
    },
    {
      benchmark: '6 tool loop transport',
      figure: 'time to first token per step p50, WebSocket vs SSE',
      value: `${ms(websocket.firstTokenMs.p50)} vs ${ms(sse.firstTokenMs.p50)}`,
      target: 'WebSocket ≤ SSE',
      met: websocket.firstTokenMs.p50 <= sse.firstTokenMs.p50,
    },
    {
      benchmark: '6 tool loop transport',
      figure: 'client CPU per step p50, WebSocket vs SSE',
      value: `${micros(websocket.cpuMicrosPerStep.p50)} vs ${micros(sse.cpuMicrosPerStep.p50)}`,
      target: 'WebSocket ≤ SSE',
      met: websocket.cpuMicrosPerStep.p50 <= sse.cpuMicrosPerStep.p50,
    },
  );
  return out;
}

const rps = (s: Spread) => `${fixed(s.median, 0)} (${fixed(s.min, 0)}–${fixed(s.max, 0)})`;
const mark = (met: boolean | undefined) => (met === undefined ? '—' : met ? '✅ met' : '❌ missed');

/** `bench/RESULTS.md`: the summary table, then the details of each benchmark. */
export function renderReport(results: BenchResults): string {
  const cpu = cpus();
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (`bench/run.ts`). Every ratio compares contenders measured side by side in this',
    'run, interleaved; a figure is the median over the runs, with the spread (min–max) in parentheses.',
    'Contenders: (a) this provider, (b) `@ai-sdk/openai` Responses model, (c) `@mariozechner/pi-ai` `openai-codex`,',
    '(d) the floor: `eventsource-parser` + `JSON.parse`, (e) the contract floor: the same parse plus one part object',
    'per event through the `ReadableStream` the AI SDK contract requires. (a) is judged against (e); (c) and (d)',
    'are references. Lower ratios are better for (a). Where a target is missed,',
    '[`PROFILING.md`](PROFILING.md) has the profiles, the fixes and their before and after.',
    '',
    '| | |',
    '|---|---|',
    `| Date | ${results.date.toISOString()} |`,
    `| Node.js | ${process.version} |`,
    `| Machine | ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${fixed(totalmem() / 1024 ** 3, 0)} GiB, Linux ${release()} |`,
    `| Load average at the end | ${loadavg()
      .map(n => fixed(n))
      .join(', ')} |`,
    `| Duration | ${Math.round(results.durationSeconds)} s |`,
    '',
    '## Summary',
    '',
    '| Benchmark | Figure | Result | Target | Met |',
    '|---|---|---|---|---|',
    ...figures(results).map(
      f => `| ${f.benchmark} | ${f.figure} | ${f.value} | ${f.target} | ${mark(f.met)} |`,
    ),
    '',
    '## 1. Stream mapping: CPU time per response',
    '',
    'The same SSE bytes, served from memory one event per chunk, turned into stream parts (events for (c), parsed',
    'events for (d), raw parts for (e)). CPU time of one pass over the workload, median of the runs.',
    '',
    `| Workload | Events | (a) | (b) | (c) | (d) | (e) |`,
    '|---|---|---|---|---|---|---|',
    ...results.streamMapping.map(
      row =>
        `| ${row.workload} | ${row.events.toLocaleString('en-US')} | ${micros(row.cpuMicros.a.median)} | ${micros(row.cpuMicros.b.median)} | ${micros(row.cpuMicros.c.median)} | ${micros(row.cpuMicros.d.median)} | ${micros(row.cpuMicros.e.median)} |`,
    ),
    '',
    '## 2. Time to first token added after the bytes arrive (loopback, emulator)',
    '',
    '| Contender | p50 | p90 | Streams |',
    '|---|---|---|---|',
    ...CONTENDER_IDS.map(id => {
      const s = results.firstToken.added[id];
      return `| (${id}) ${CONTENDER_NAMES[id]} | ${ms(s.p50)} | ${ms(s.p90)} | ${s.samples} |`;
    }),
    '',
    `## 3. Concurrency: ${results.concurrency.streams} streams at once (emulator in its own process)`,
    '',
    '| | (a) | (b) |',
    '|---|---|---|',
    `| Streams per second | ${fixed(results.concurrency.throughput.a.median, 0)} | ${fixed(results.concurrency.throughput.b.median, 0)} |`,
    `| Client CPU per stream | ${micros(results.concurrency.cpuPerStream.a.median)} | ${micros(results.concurrency.cpuPerStream.b.median)} |`,
    `| Peak JS memory per open stream | ${bytes(results.concurrency.memoryPerStream.a.median)} | ${bytes(results.concurrency.memoryPerStream.b.median)} |`,
    `| JS memory held per stream after a full GC, all at their first token | ${bytes(results.concurrency.heldPerStream.a.median)} | ${bytes(results.concurrency.heldPerStream.b.median)} |`,
    `| Calls retried after a connection reset | ${results.concurrency.retries.a} | ${results.concurrency.retries.b} |`,
    '',
    `Heap after full GC across ${results.concurrency.leak.calls.toLocaleString('en-US')} sequential calls of (a): ${results.concurrency.leak.heapAfterGc.map(bytes).join(' → ')}.`,
    '',
    '## 4. Refresh storm',
    '',
    `${results.refreshStorm.calls.toLocaleString('en-US')} concurrent calls through the default auth on a Codex CLI \`auth.json\`, with a valid token and with an expired one, alternately (after a warm-up run).`,
    '',
    '| | valid token | expired token | added |',
    '|---|---|---|---|',
    `| p50 call | ${ms(results.refreshStorm.p50.valid.median)} | ${ms(results.refreshStorm.p50.expired.median)} | ${ms(results.refreshStorm.p50.added.median)} |`,
    `| slowest call | ${ms(results.refreshStorm.max.valid.median)} | ${ms(results.refreshStorm.max.expired.median)} | ${ms(results.refreshStorm.max.added.median)} |`,
    `| p50 wait for credentials | ${ms(results.refreshStorm.credentialsWait.p50.valid.median)} | ${ms(results.refreshStorm.credentialsWait.p50.expired.median)} | ${ms(results.refreshStorm.credentialsWait.p50.added.median)} |`,
    `| slowest wait for credentials | ${ms(results.refreshStorm.credentialsWait.max.valid.median)} | ${ms(results.refreshStorm.credentialsWait.max.expired.median)} | ${ms(results.refreshStorm.credentialsWait.max.added.median)} |`,
    '',
    'A whole call mostly waits for its turn among 1,000 streams on one loopback, which varies by hundreds of milliseconds from run to run; the wait for credentials is where the refresh shows.',
    '',
    `Token-endpoint calls per storm: ${results.refreshStorm.tokenRequests.join(', ')}; calls retried after a connection reset: ${results.refreshStorm.retries}.`,
    '',
    '## 5. Proxy',
    '',
    'Streamed `/v1/chat/completions` through the proxy (in its own process, as `serve` runs) against the model',
    "called in-process, both reaching the emulator over the provider's default transport (the WebSocket, where",
    'the catalog prefers it) and then both over SSE; autocannon then loads the proxy and, for comparison, the',
    'emulator alone over HTTP. The proxy is timed with two clients: `node:http`, the leanest, so that the figure',
    "is the proxy's; and undici's `fetch`, as OpenAI's Node SDK calls it, which costs more itself. Beside them,",
    'the floor of any local proxy: each client against a bare server in its own process that answers at once.',
    '',
    '| Transport | | direct p50 | direct p99 | added p50, node:http | p99 through the proxy, node:http | added p50, fetch | p99 through the proxy, fetch |',
    '|---|---|---|---|---|---|---|---|',
    ...[results.proxy, results.proxyOverSse].flatMap(r =>
      (['firstToken', 'complete'] as const).map(
        key =>
          `| ${r.transport} | ${key === 'firstToken' ? 'first token' : 'end of stream'} | ${ms(r.direct[key].p50)} | ${ms(r.direct[key].p99)} | ${ms(r.added.http[key])} | ${ms(r.through.http[key].p99)} | ${ms(r.added.fetch[key])} | ${ms(r.through.fetch[key].p99)} |`,
      ),
    ),
    '',
    ...[results.proxy, results.proxyOverSse].map(
      r =>
        `An HTTP hop alone (${r.transport} run), to the first token p50 / p99: node:http ${ms(r.hop.http.p50)} / ${ms(r.hop.http.p99)}, fetch ${ms(r.hop.fetch.p50)} / ${ms(r.hop.fetch.p99)}.`,
    ),
    '',
    ...[results.proxy, results.proxyOverSse].map(
      r =>
        `autocannon, streamed requests per second (${r.transport}): proxy ${rps(r.rps.proxy)}, emulator alone ${rps(r.rps.emulator)}; failed requests: ${r.loadErrors}.`,
    ),
    '',
    `## 6. Tool loop: WebSocket with incremental input vs SSE (${results.toolLoopTransport.steps} steps, ${bytes(results.toolLoopTransport.toolOutputBytes)} of tool output)`,
    '',
    'Each step is a reasoning item and a tool call answered by a large tool result, so the history grows every step.',
    'Bytes are what the emulator received (request bodies; WebSocket messages); times and CPU are per step, over every',
    'step of every round, from the call to the model (first content part; end of its stream).',
    '',
    '| Contender | total bytes | step 1 | step 2 | last step | first token p50 / p90 | CPU per step p50 / p90 |',
    '|---|---|---|---|---|---|---|',
    ...(['websocket', 'sse', 'openai'] as const).map(id => {
      const c = results.toolLoopTransport.contenders[id];
      return `| ${TRANSPORT_CONTENDER_NAMES[id]} | ${bytes(c.totalBytes)} | ${bytes(c.bytesPerStep[0] ?? 0)} | ${bytes(c.bytesPerStep[1] ?? 0)} | ${bytes(c.bytesPerStep.at(-1) ?? 0)} | ${ms(c.firstTokenMs.p50)} / ${ms(c.firstTokenMs.p90)} | ${micros(c.cpuMicrosPerStep.p50)} / ${micros(c.cpuMicrosPerStep.p90)} |`;
    }),
    '',
  ];
  return lines.join('\n');
}
