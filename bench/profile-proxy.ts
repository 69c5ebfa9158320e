/**
 * `npm run bench:profile -- proxy [requests]`: the proxy of benchmark 5 serving streamed
 * `/v1/chat/completions` to autocannon (10 connections) under `node --cpu-prof`, with the emulator in its own
 * process, so that the profile written to `bench/profiles/` holds only the proxy's work. Prints the proxy's CPU
 * time per request, which the machine's other load changes less than requests per second.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { serveCodexProxy } from 'ai-sdk-provider-codex/proxy';
import { startRemoteEmulator } from './remote-emulator';

const execFileAsync = promisify(execFile);
const autocannon = createRequire(import.meta.url).resolve('autocannon');

export async function profileProxy(requests: number): Promise<void> {
  const emulator = await startRemoteEmulator();
  const { login } = await emulator.login();
  const server = await serveCodexProxy({
    host: '127.0.0.1',
    port: 0,
    codex: {
      baseURL: emulator.baseURL,
      auth: { accessToken: login.accessToken, accountId: login.accountId },
    },
    logger: { info() {}, error() {} },
  });
  const body = JSON.stringify({
    model: 'gpt-5.5',
    stream: true,
    messages: [{ role: 'user', content: 'Hello' }],
  });
  const load = async (amount: number) => {
    const { stdout } = await execFileAsync(
      process.execPath,
      [autocannon, '--json', '-c', '10', '-a', String(amount), '-m', 'POST', '-b', body].concat([
        '-H',
        'content-type=application/json',
        `${server.url}/v1/chat/completions`,
      ]),
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return JSON.parse(stdout) as { requests: { average: number }; non2xx: number; errors: number };
  };
  try {
    // Warm up (JIT, kept-alive connections) before measuring.
    await load(Math.min(500, requests));
    const start = process.cpuUsage();
    const result = await load(requests);
    const used = process.cpuUsage(start);
    process.stdout.write(
      `proxy, ${requests} streamed chat completions: ${((used.user + used.system) / requests).toFixed(0)} µs of CPU per request, ${result.requests.average.toFixed(0)} req/s, ${result.non2xx + result.errors} failed\n`,
    );
  } finally {
    await server.close();
    await emulator.close();
  }
}
