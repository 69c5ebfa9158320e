/**
 * The proxy under load: 200 concurrent clients for a few seconds on both endpoints, streaming and not, a
 * fifth of them hanging up mid-stream. The streams they leave never end by themselves (the emulator stalls
 * them), so only the proxy closing its upstream request ends them: afterwards no upstream request may be
 * left open (counted by a relay in front of the emulator), nothing may have rejected unhandled, and the heap
 * must be back near where it started.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CodexProxyServer } from '../src/proxy';
import { type CodexEmulator, type RecordedRequest, textTurn } from '../src/testing';
import { collectGarbage } from './support/collect-garbage';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';
import type { RequestCounter } from './support/request-counter';

const CLIENTS = 200;
const LOAD_MS = 3000;
/** The prompt of a client that will hang up. */
const HANG_UP = 'Hang up.';

let running: ProxyOverEmulator;
let emulator: CodexEmulator;
let relay: RequestCounter;
let proxy: CodexProxyServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  // Nothing logged: the lines of thousands of requests would weigh on the heap check.
  running = await startProxyOverEmulator({
    countRequests: true,
    proxy: { logger: { info() {}, error() {} } },
  });
  ({ emulator, proxy } = running);
  relay = running.relay!;
  // Every answer streams for a while; the ones for clients that will hang up stall after a few events and
  // stay open until the proxy closes them. (More answers than the run can use.)
  const text = 'one two three four five six seven eight nine ten eleven twelve';
  const answer = textTurn(text, { delayMs: 5 });
  const stalled = textTurn(text, { delayMs: 5, stallAfter: 8 });
  const choose = (request: RecordedRequest) => (request.bodyText.includes(HANG_UP) ? stalled : answer);
  emulator.enqueue(...Array.from({ length: 20_000 }, () => choose));
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await running?.close();
});

type Outcome = 'ok' | 'hung-up' | 'failed';

const heapMb = () => {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

/** One client request; a client that hangs up reads the first chunk of a stream, then aborts. */
async function request(kind: number, wantsToHangUp: boolean): Promise<Outcome> {
  const chat = kind % 3 !== 2;
  const stream = kind % 3 !== 0;
  const hangUp = wantsToHangUp && stream;
  const prompt = hangUp ? HANG_UP : 'Count.';
  const body = chat
    ? { model: 'gpt-5.5', messages: [{ role: 'user', content: prompt }], stream }
    : { model: 'gpt-5.5', input: prompt, stream: true, store: false };
  const client = new AbortController();
  try {
    const response = await fetch(`${proxy.url}/v1/${chat ? 'chat/completions' : 'responses'}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROXY_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: client.signal,
    });
    if (response.status !== 200) return 'failed';
    if (hangUp) {
      const reader = response.body!.getReader();
      await reader.read();
      client.abort();
      return 'hung-up';
    }
    const text = await response.text();
    if (!stream && chat)
      return JSON.parse(text).choices[0].message.content.includes('twelve') ? 'ok' : 'failed';
    return text.includes(chat ? 'data: [DONE]' : 'response.completed') ? 'ok' : 'failed';
  } catch {
    return client.signal.aborted ? 'hung-up' : 'failed';
  }
}

it(`${CLIENTS} concurrent clients, some hanging up mid-stream: no leaked upstream request, no unhandled rejection, memory back near baseline`, async () => {
  // Warm up (modules, pools, JIT) before taking the baseline.
  await Promise.all(Array.from({ length: 20 }, (_, index) => request(index, false)));
  const baseline = heapMb();

  const counts: Record<Outcome, number> = { ok: 0, 'hung-up': 0, failed: 0 };
  const deadline = Date.now() + LOAD_MS;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let round = 0; Date.now() < deadline; round++) {
        counts[await request(client + round, (client + round) % 5 === 0)] += 1;
      }
    }),
  );

  const total = counts.ok + counts['hung-up'] + counts.failed;
  expect(counts.failed).toBe(0);
  expect(counts['hung-up']).toBeGreaterThan(0);
  expect(total).toBeGreaterThanOrEqual(CLIENTS);

  // Every upstream request ended: answered, or closed by the proxy after its client hung up.
  await expect.poll(() => relay.inFlight, { timeout: 10_000 }).toBe(0);
  const { completedStreams, requests } = emulator.counters;
  expect(requests.responses).toBe(total + 20);
  expect(completedStreams).toBe(counts.ok + 20);
  expect(unhandled).toEqual([]);

  // Generous: the heap may keep caches and pooled buffers, not the thousands of requests it served.
  const after = heapMb();
  expect(after - baseline).toBeLessThan(40);
  console.info(
    `proxy load: ${total} requests (${counts.ok} ok, ${counts['hung-up']} hung up), ${requests.responses} upstream, ` +
      `heap ${baseline.toFixed(1)} → ${after.toFixed(1)} MB`,
  );
}, 60_000);
