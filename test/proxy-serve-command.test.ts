import { writeFile } from 'node:fs/promises';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodexEmulator, type EmulatorLogin, startCodexEmulator, textTurn } from '../src/testing';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli, startCli } from './support/cli-process';

// `ai-sdk-provider-codex serve` as a real child process, in front of the emulator.

const KEY = 'serve-test-key-4b8e21d0c3';

let emulator: CodexEmulator;
let login: EmulatorLogin;
beforeAll(async () => {
  emulator = await startCodexEmulator();
  login = await emulator.login({ planType: 'pro' });
});
afterAll(() => emulator?.close());

describe('ai-sdk-provider-codex serve', () => {
  it(
    'prints the URL, account, plan and snippets, serves OpenAI clients, logs verbosely without secrets, and stops on Ctrl-C',
    async () => {
      const sandbox = await createCliSandbox(emulator);
      try {
        await writeFile(sandbox.authJsonPath, JSON.stringify(emulator.authJson(login)), { mode: 0o600 });
        const cli = startCli(['serve', '--port', '0', '--verbose'], {
          ...sandbox.env,
          CODEX_PROXY_API_KEY: KEY,
        });

        const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 'stdout');
        await cli.waitFor(/Press Ctrl-C to stop/, 'stdout');
        const banner = cli.stdout();
        expect(banner).toContain(`${login.email} (pro plan)`);
        expect(banner).toContain(
          `new OpenAI({ baseURL: '${url}/v1', apiKey: process.env.CODEX_PROXY_API_KEY })`,
        );
        expect(banner).toContain(`curl ${url}/v1/chat/completions`);
        expect(banner).toContain('Authorization: Bearer $CODEX_PROXY_API_KEY');

        emulator.enqueue(textTurn('Served by the CLI.'));
        const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0 });
        const completion = await client.chat.completions.create({
          model: 'gpt-5.5',
          messages: [{ role: 'user', content: 'Are you there?' }],
        });
        expect(completion.choices[0]?.message.content).toBe('Served by the CLI.');
        await expect(
          new OpenAI({ baseURL: `${url}/v1`, apiKey: 'wrong', maxRetries: 0 }).models.list(),
        ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

        await cli.waitFor(/← POST \/v1\/chat\/completions 200/);
        cli.child.kill('SIGINT');
        const result = await cli.exited;
        expect(result.code).toBe(0);

        const output = result.stdout + result.stderr;
        expect(result.stderr).toContain('Are you there?');
        for (const secret of [KEY, login.accessToken, login.refreshToken, login.idToken]) {
          expect(output).not.toContain(secret);
        }
      } finally {
        await sandbox.cleanup();
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'refuses a non-loopback host without a key, and a missing login, with their exit codes',
    async () => {
      const sandbox = await createCliSandbox(emulator);
      try {
        const exposed = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], sandbox.env);
        expect(exposed.code).toBe(2);
        expect(exposed.stderr).toMatch(/without an API key.*--api-key or CODEX_PROXY_API_KEY/);

        const badPort = await runCli(['serve', '--port', 'eighty'], sandbox.env);
        expect(badPort.code).toBe(2);

        const loggedOut = await runCli(['serve', '--port', '0'], sandbox.env);
        expect(loggedOut.code).toBe(3);
        expect(loggedOut.stderr).toMatch(/login/);
      } finally {
        await sandbox.cleanup();
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
