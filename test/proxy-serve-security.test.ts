import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodexEmulator, type EmulatorLogin, startCodexEmulator } from '../src/testing';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli, startCli } from './support/cli-process';
import { rawRequest } from './support/raw-http';

// `ai-sdk-provider-codex serve` as a real child process: keys given as the user types them, and a request
// built to stall it, measured in the child.

let emulator: CodexEmulator;
let login: EmulatorLogin;
beforeAll(async () => {
  emulator = await startCodexEmulator();
  login = await emulator.login();
});
afterAll(() => emulator?.close());

async function sandboxWithLogin() {
  const sandbox = await createCliSandbox(emulator);
  await writeFile(sandbox.authJsonPath, JSON.stringify(emulator.authJson(login)), { mode: 0o600 });
  return sandbox;
}

const statusWith = async (url: string, key: string) =>
  (await rawRequest(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status;

/** The CPU time a process has used so far (user and system), in milliseconds (Linux, 100 ticks a second). */
async function cpuTimeMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const [utime, stime] = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .slice(11, 13)
    .map(Number);
  return (utime! + stime!) * 10;
}

/** The peak resident memory of a process so far, in bytes (Linux). */
async function peakMemory(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]) * 1024;
}

describe('serve keys', () => {
  it(
    'takes an all-digit --api-key as typed, reads --api-key-file, and refuses unusable key options',
    async () => {
      const sandbox = await sandboxWithLogin();
      try {
        // Beyond 2^53 and with a leading zero: as a number it would be another key, or none at all.
        for (const key of ['123456789012', '0123456789012345678901234']) {
          const serve = startCli(['serve', '--port', '0', '--api-key', key], sandbox.env);
          try {
            const [, url] = await serve.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 'stdout');
            await serve.waitFor(/API key {3}required/, 'stdout');
            expect(await statusWith(url!, key)).toBe(200);
            expect(await statusWith(url!, key.slice(1))).toBe(401);
          } finally {
            serve.child.kill('SIGINT');
            await serve.exited;
          }
        }

        const keyFile = join(sandbox.root, 'proxy.key');
        await writeFile(keyFile, 'file-key-51f0c2a9e7d3\n', { mode: 0o600 });
        const serve = startCli(['serve', '--port', '0', `--api-key-file=${keyFile}`], sandbox.env);
        try {
          const [, url] = await serve.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 'stdout');
          expect(await statusWith(url!, 'file-key-51f0c2a9e7d3')).toBe(200);
          expect(await statusWith(url!, 'file-key-51f0c2a9e7d')).toBe(401);
        } finally {
          serve.child.kill('SIGINT');
          await serve.exited;
        }

        const emptyFile = join(sandbox.root, 'empty.key');
        await writeFile(emptyFile, '\n', { mode: 0o600 });
        const refusals: Array<[string[], RegExp]> = [
          [
            ['--api-key-file', join(sandbox.root, 'missing.key')],
            /Cannot read the key file .*missing\.key \(ENOENT\)/,
          ],
          [['--api-key-file', emptyFile], /The key file .*empty\.key is empty/],
          [['--api-key', 'k', '--api-key-file', keyFile], /--api-key or --api-key-file, not both/],
        ];
        for (const [args, message] of refusals) {
          const result = await runCli(['serve', '--port', '0', ...args], sandbox.env);
          expect(result.code).toBe(2);
          expect(result.stderr).toMatch(message);
        }

        const help = await runCli(['serve', '--help'], sandbox.env);
        expect(help.stdout).toContain('--api-key-file <path>');
        expect(help.stdout).toMatch(/--api-key <key>.*any string.*process list/);
        expect(help.stdout).toContain('--allowed-host <host>');
        expect(emulator.requestsTo('responses')).toHaveLength(0);
      } finally {
        await sandbox.cleanup();
      }
    },
    CLI_TEST_TIMEOUT_MS * 2,
  );
});

describe('serve under a costly request', () => {
  it(
    'refuses a 29 MB body of a million empty messages quickly, with bounded memory, and stays responsive',
    async () => {
      const sandbox = await sandboxWithLogin();
      const serve = startCli(['serve', '--port', '0'], sandbox.env);
      try {
        const [, url] = await serve.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 'stdout');
        // Warm up the route, so the baseline includes what any request loads.
        await rawRequest(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"model":"gpt-5.5"}',
        });
        const pid = serve.child.pid!;
        const [memoryBefore, cpuBefore] = [await peakMemory(pid), await cpuTimeMs(pid)];
        const body = `{"model":"gpt-5.5","messages":[${Array(1_000_000).fill('{"role":"user","content":""}').join(',')}]}`;
        expect(body.length).toBeGreaterThan(29_000_000);

        const answer = await rawRequest(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const cpuMs = (await cpuTimeMs(pid)) - cpuBefore;
        const grownBytes = (await peakMemory(pid)) - memoryBefore;

        expect(answer.status).toBe(400);
        expect(answer.json().error).toMatchObject({ param: 'messages' });
        // The proxy's own CPU time, not the wall clock, which a busy machine stretches. Generous bounds: parsing
        // and converting the body took seconds of CPU and +700 MB.
        expect(cpuMs).toBeLessThan(1_500);
        expect(grownBytes).toBeLessThan(250 * 1024 * 1024);
        expect((await rawRequest(`${url}/health`)).status).toBe(200);
        expect(emulator.requestsTo('responses')).toHaveLength(0);
      } finally {
        serve.child.kill('SIGINT');
        await serve.exited;
        await sandbox.cleanup();
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
