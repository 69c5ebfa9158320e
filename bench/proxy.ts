import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { type CodexTransport, createCodex } from 'ai-sdk-provider-codex';
import { createParser } from 'eventsource-parser';
import { textTurn } from '../src/testing';
import { prompt } from './contenders';
import { startProxyProcess } from './proxy-process';
import type { RemoteEmulator } from './remote-emulator';
import { percentile, type Spread, spread } from './stats';
import { turnFrames } from './workloads';

export interface ProxyOptions {
  emulator: RemoteEmulator;
  /** How the model and the proxy reach the emulator. Default: the provider's default (`auto`). */
  transport?: CodexTransport;
  /** Streamed requests per path (direct and through the proxy), interleaved. Default 300. */
  requests?: number;
  /** Seconds of each load-generator run. Default 5. */
  loadSeconds?: number;
  /** Connections the load generator keeps open. Default 50. */
  connections?: number;
  /** Load-generator runs per target, alternating. Default 2. */
  loadRounds?: number;
}

export interface ProxyResult {
  transport: CodexTransport;
  /** Milliseconds added by the proxy over calling the model directly: to the first text, and to the end. */
  added: { firstToken: { p50: number; p99: number }; complete: { p50: number; p99: number } };
  direct: { firstToken: { p50: number; p99: number }; complete: { p50: number; p99: number } };
  /** Streamed `/v1/chat/completions` per second through the proxy, and `/responses` straight at the emulator. */
  rps: { proxy: Spread; emulator: Spread; ratio: Spread };
  /** Non-2xx answers and errors the load generator saw (must be 0). */
  loadErrors: number;
}

const execFileAsync = promisify(execFile);
const autocannon = createRequire(import.meta.url).resolve('autocannon');

async function loadTest(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
) {
  const args = [
    autocannon,
    '--json',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    '-m',
    'POST',
    '-b',
    JSON.stringify(body),
  ];
  for (const [name, value] of Object.entries({ 'content-type': 'application/json', ...headers })) {
    args.push('-H', `${name}=${value}`);
  }
  const { stdout } = await execFileAsync(process.execPath, [...args, url], { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as {
    requests: { average: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  return { rps: result.requests.average, errors: result.non2xx + result.errors + result.timeouts };
}

/**
 * Benchmark 5: the OpenAI-compatible proxy. Streamed `/v1/chat/completions` through it against the same
 * answer from the model called in-process, both reaching the emulator over `transport`, interleaved; then
 * requests per second with autocannon (the emulator alone is always called over HTTP, as autocannon can).
 */
export async function benchProxy(options: ProxyOptions): Promise<ProxyResult> {
  const { emulator, transport = 'auto' } = options;
  const requests = options.requests ?? 300;
  // Answers left queued by an earlier benchmark would be served first.
  await emulator.reset();
  const { login } = await emulator.login();
  const auth = { accessToken: login.accessToken, accountId: login.accountId };
  // In a process of its own, as `serve` runs: its clients' work does not wait for its work.
  const server = await startProxyProcess({ baseURL: emulator.baseURL, auth, transport });
  try {
    const model = createCodex({ baseURL: emulator.baseURL, auth, transport }).languageModel('gpt-5.5');
    // One chunk per event, as the backend streams.
    const chunks = turnFrames(
      textTurn(
        'A short streamed answer of about twenty words, to time what the proxy adds to every request.',
      ),
    );
    await emulator.enqueue({ type: 'sse', chunks }, requests * 2 + 20);

    const direct = async () => {
      const start = performance.now();
      let first = Number.NaN;
      const { stream } = await model.doStream({ prompt });
      const reader = stream.getReader();
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        if (Number.isNaN(first) && value.type === 'text-delta') first = performance.now() - start;
      }
      return { first, complete: performance.now() - start };
    };
    const viaProxy = async () => {
      const start = performance.now();
      let first = Number.NaN;
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-5.5',
          stream: true,
          messages: [{ role: 'user', content: 'Hello' }],
        }),
      });
      if (!response.ok) throw new Error(`The proxy answered ${response.status}: ${await response.text()}`);
      const parser = createParser({
        onEvent(event) {
          if (!Number.isNaN(first) || event.data === '[DONE]') return;
          const chunk = JSON.parse(event.data) as { choices?: Array<{ delta?: { content?: string } }> };
          if (chunk.choices?.[0]?.delta?.content) first = performance.now() - start;
        },
      });
      const decoder = new TextDecoder();
      const reader = response.body!.getReader();
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
      return { first, complete: performance.now() - start };
    };

    for (let i = 0; i < 10; i++) {
      await direct();
      await viaProxy();
    }
    const samples = {
      direct: [] as Array<{ first: number; complete: number }>,
      proxy: [] as Array<{ first: number; complete: number }>,
    };
    for (let i = 0; i < requests; i++) {
      if (i % 2 === 0) {
        samples.direct.push(await direct());
        samples.proxy.push(await viaProxy());
      } else {
        samples.proxy.push(await viaProxy());
        samples.direct.push(await direct());
      }
    }
    const pct = (path: 'direct' | 'proxy', key: 'first' | 'complete', p: number) =>
      percentile(
        samples[path].map(s => s[key]),
        p,
      );
    const addedOf = (key: 'first' | 'complete') => ({
      p50: pct('proxy', key, 50) - pct('direct', key, 50),
      p99: pct('proxy', key, 99) - pct('direct', key, 99),
    });

    // Throughput: the emulator answers its default turn (queue emptied).
    await emulator.reset();
    const seconds = options.loadSeconds ?? 5;
    const connections = options.connections ?? 50;
    const rps = { proxy: [] as number[], emulator: [] as number[] };
    let loadErrors = 0;
    for (let round = 0; round < (options.loadRounds ?? 2); round++) {
      const proxyRun = await loadTest(
        `${server.url}/v1/chat/completions`,
        { model: 'gpt-5.5', stream: true, messages: [{ role: 'user', content: 'Hello' }] },
        {},
        seconds,
        connections,
      );
      const emulatorRun = await loadTest(
        `${emulator.baseURL}/responses`,
        {
          model: 'gpt-5.5',
          stream: true,
          store: false,
          instructions: 'Be brief.',
          input: [{ role: 'user', content: 'Hello' }],
        },
        { authorization: `Bearer ${login.accessToken}`, 'chatgpt-account-id': login.accountId },
        seconds,
        connections,
      );
      rps.proxy.push(proxyRun.rps);
      rps.emulator.push(emulatorRun.rps);
      loadErrors += proxyRun.errors + emulatorRun.errors;
    }

    return {
      transport,
      added: { firstToken: addedOf('first'), complete: addedOf('complete') },
      direct: {
        firstToken: { p50: pct('direct', 'first', 50), p99: pct('direct', 'first', 99) },
        complete: { p50: pct('direct', 'complete', 50), p99: pct('direct', 'complete', 99) },
      },
      rps: {
        proxy: spread(rps.proxy),
        emulator: spread(rps.emulator),
        ratio: spread(rps.proxy.map((value, i) => value / rps.emulator[i]!)),
      },
      loadErrors,
    };
  } finally {
    await server.close();
  }
}
