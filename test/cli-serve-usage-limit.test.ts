import { writeFile } from 'node:fs/promises';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodexEmulator, type EmulatorLogin, startCodexEmulator } from '../src/testing';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli, startCli } from './support/cli-process';

// `serve --on-usage-limit wait` as a real child process, in front of an emulator whose window fills in 2 requests.

let emulator: CodexEmulator;
let login: EmulatorLogin;
beforeAll(async () => {
  emulator = await startCodexEmulator({ usageWindow: { requests: 2, resetAfterSeconds: 2 } });
  login = await emulator.login();
});
afterAll(() => emulator?.close());

describe('serve --on-usage-limit', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('holds requests past the limit until the reset, logs the wait, and serves /v1/usage', async () => {
    const sandbox = await createCliSandbox(emulator);
    try {
      await writeFile(sandbox.authJsonPath, JSON.stringify(emulator.authJson(login)), { mode: 0o600 });
      const cli = startCli(
        ['serve', '--port', '0', '--on-usage-limit', 'wait', '--max-usage-wait', '20s'],
        sandbox.env,
      );
      const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 'stdout');
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });

      const answers = [];
      for (let call = 0; call < 5; call += 1) {
        const completion = await client.chat.completions.create({
          model: 'gpt-5.5',
          messages: [{ role: 'user', content: `Call ${call}` }],
        });
        answers.push(completion.choices[0]?.message.content);
      }
      expect(answers.every(answer => typeof answer === 'string' && answer.length > 0)).toBe(true);
      expect(emulator.counters.usageLimitRejections).toBeGreaterThanOrEqual(1);
      expect(cli.stderr()).toMatch(/usage limit of gpt-5\.5 reached: holding the request \d+ s, until /);

      const usage = await (await fetch(`${url}/v1/usage`)).json();
      expect(usage.accounts[0]).toMatchObject({ accountId: login.accountId, rateLimits: { primary: {} } });

      cli.child.kill('SIGINT');
      expect((await cli.exited).code).toBe(0);
    } finally {
      await sandbox.cleanup();
    }
  });

  it('refuses a bad duration before starting, with the usage exit code', async () => {
    const sandbox = await createCliSandbox(emulator);
    try {
      const result = await runCli(
        ['serve', '--port', '0', '--on-usage-limit', 'wait', '--max-usage-wait', 'soon'],
        sandbox.env,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        '--max-usage-wait must be a duration such as 90s, 30m, 2h or 1h30m, not "soon".',
      );
    } finally {
      await sandbox.cleanup();
    }
  });
});
