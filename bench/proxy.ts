import { execFile } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { type CodexTransport, createCodex } from 'ai-sdk-provider-codex';
import { createParser } from 'eventsource-parser';
import { createNodeHttpFetch } from '../src/proxy/node-http-fetch';
import { textTurn } from '../src/testing';
import { prompt } from './contenders';
import { startServerProcess } from './proxy-process';
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

/**
 * The HTTP clients the proxy is timed with: Node's `http` module, the leanest client there is, so that what
 * is measured is the proxy; and undici's `fetch`, which OpenAI's Node SDK uses and which costs more itself.
 */
export type ProxyClient = 'http' | 'fetch';

export const PROXY_CLIENTS: readonly ProxyClient[] = ['http', 'fetch'];

type Percentiles = { p50: number; p99: number };

export interface ProxyResult {
  transport: CodexTransport;
  /** Milliseconds to the first text, and to the end: the model called directly, and through the proxy per client. */
  direct: { firstToken: Percentiles; complete: Percentiles };
  through: Record<ProxyClient, { firstToken: Percentiles; complete: Percentiles }>;
  /** Milliseconds added by the proxy at the median, per client: `through` minus `direct`. */
  added: Record<ProxyClient, { firstToken: number; complete: number }>;
  /**
   * Milliseconds an HTTP hop alone takes, per client: to the first text of a bare server in its own process
   * that answers at once. The floor of what any local proxy adds.
   */
  hop: Record<ProxyClient, Percentiles>;
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

type Timing = { first: number; complete: number };

const CHAT_BODY = JSON.stringify({
  model: 'gpt-5.5',
  stream: true,
  messages: [{ role: 'user', content: 'Hello' }],
});

/** Reads streamed chat completion text as it comes and notes when the first content arrived. */
function firstContentTimer(start: number) {
  const timing: Timing = { first: Number.NaN, complete: Number.NaN };
  const parser = createParser({
    onEvent(event) {
      if (!Number.isNaN(timing.first) || event.data === '[DONE]') return;
      const chunk = JSON.parse(event.data) as { choices?: Array<{ delta?: { content?: string } }> };
      if (chunk.choices?.[0]?.delta?.content) timing.first = performance.now() - start;
    },
  });
  return {
    feed: (text: string) => parser.feed(text),
    end: () => {
      timing.complete = performance.now() - start;
      return timing;
    },
  };
}

/** One streamed chat completion from `baseURL` with `client`: when its first text came, and its end. */
function streamChat(baseURL: string, client: ProxyClient, agent: Agent): Promise<Timing> {
  const url = `${baseURL}/v1/chat/completions`;
  const start = performance.now();
  const timer = firstContentTimer(start);
  if (client === 'fetch') {
    return (async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: CHAT_BODY,
      });
      if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
      const decoder = new TextDecoder();
      const reader = response.body!.getReader();
      while (true) {
        const { done, value } = await reader.read();
        if (done) return timer.end();
        timer.feed(decoder.decode(value, { stream: true }));
      }
    })();
  }
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      response => {
        if (response.statusCode !== 200) {
          reject(new Error(`${url} answered ${response.statusCode}.`));
          response.resume();
          return;
        }
        response.setEncoding('utf8');
        response.on('data', timer.feed);
        response.once('end', () => resolve(timer.end()));
        response.once('error', reject);
      },
    );
    request.once('error', reject);
    request.end(CHAT_BODY);
  });
}

/**
 * Benchmark 5: the OpenAI-compatible proxy. Streamed `/v1/chat/completions` through it, with each client,
 * against the same answer from the model called in-process, both reaching the emulator over `transport`;
 * and, as the floor, each client against a bare server that answers at once; all interleaved. Then requests
 * per second with autocannon (the emulator alone is always called over HTTP, as autocannon can).
 */
export async function benchProxy(options: ProxyOptions): Promise<ProxyResult> {
  const { emulator, transport = 'auto' } = options;
  const requests = options.requests ?? 300;
  // Answers left queued by an earlier benchmark would be served first.
  await emulator.reset();
  const { login } = await emulator.login();
  const auth = { accessToken: login.accessToken, accountId: login.accountId };
  // In processes of their own, as `serve` runs: their clients' work does not wait for theirs.
  const server = await startServerProcess({ kind: 'proxy', baseURL: emulator.baseURL, auth, transport });
  const bare = await startServerProcess({ kind: 'bare' });
  const agent = new Agent({ keepAlive: true });
  try {
    // Over SSE the served proxy's backend requests go through node:http; the model called directly does too.
    const model = createCodex({
      baseURL: emulator.baseURL,
      auth,
      transport,
      ...(transport === 'sse' && { fetch: createNodeHttpFetch() }),
    }).languageModel('gpt-5.5');
    // One chunk per event, as the backend streams.
    const chunks = turnFrames(
      textTurn(
        'A short streamed answer of about twenty words, to time what the proxy adds to every request.',
      ),
    );
    await emulator.enqueue({ type: 'sse', chunks }, requests * 3 + 30);

    const direct = async (): Promise<Timing> => {
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
    const paths = {
      direct,
      'proxy http': () => streamChat(server.url, 'http', agent),
      'proxy fetch': () => streamChat(server.url, 'fetch', agent),
      'hop http': () => streamChat(bare.url, 'http', agent),
      'hop fetch': () => streamChat(bare.url, 'fetch', agent),
    };
    type Path = keyof typeof paths;
    const order = Object.keys(paths) as Path[];
    const samples = Object.fromEntries(order.map(path => [path, [] as Timing[]])) as Record<Path, Timing[]>;
    for (let i = 0; i < 10; i++) for (const path of order) await paths[path]();
    // Each round in a rotated order, so that no path always follows the same one.
    for (let i = 0; i < requests; i++) {
      for (let k = 0; k < order.length; k++) {
        const path = order[(i + k) % order.length]!;
        samples[path].push(await paths[path]());
      }
    }
    const percentiles = (path: Path, key: keyof Timing): Percentiles => ({
      p50: percentile(
        samples[path].map(s => s[key]),
        50,
      ),
      p99: percentile(
        samples[path].map(s => s[key]),
        99,
      ),
    });
    const throughFor = (client: ProxyClient) => ({
      firstToken: percentiles(`proxy ${client}`, 'first'),
      complete: percentiles(`proxy ${client}`, 'complete'),
    });
    const alone = { firstToken: percentiles('direct', 'first'), complete: percentiles('direct', 'complete') };
    const through = { http: throughFor('http'), fetch: throughFor('fetch') };
    const addedFor = (client: ProxyClient) => ({
      firstToken: through[client].firstToken.p50 - alone.firstToken.p50,
      complete: through[client].complete.p50 - alone.complete.p50,
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
      direct: alone,
      through,
      added: { http: addedFor('http'), fetch: addedFor('fetch') },
      hop: { http: percentiles('hop http', 'first'), fetch: percentiles('hop fetch', 'first') },
      rps: {
        proxy: spread(rps.proxy),
        emulator: spread(rps.emulator),
        ratio: spread(rps.proxy.map((value, i) => value / rps.emulator[i]!)),
      },
      loadErrors,
    };
  } finally {
    agent.destroy();
    await Promise.all([server.close(), bare.close()]);
  }
}
