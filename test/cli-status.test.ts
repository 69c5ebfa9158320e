import { writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodexEmulator, startCodexEmulator } from '../src/testing';
import { startEmulatorWithExpiredLogins } from './support/auth-harness';
import { CLI_TEST_TIMEOUT_MS, createCliSandbox, runCli } from './support/cli-process';

let emulator: CodexEmulator;
let sandbox: Awaited<ReturnType<typeof createCliSandbox>>;

beforeAll(async () => {
  emulator = await startCodexEmulator({
    rateLimits: {
      primary: { usedPercent: 42, windowMinutes: 300 },
      secondary: { usedPercent: 7, windowMinutes: 10080 },
    },
  });
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(async () => {
  await sandbox?.cleanup();
});

describe('status', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('--json shows the account, plan, source, expiry and the usage limits from /wham/usage', async () => {
    sandbox = await createCliSandbox(emulator);
    const login = await emulator.login({ planType: 'pro', email: 'grace@example.com' });
    await writeFile(sandbox.authJsonPath, JSON.stringify(emulator.authJson(login), null, 2), { mode: 0o600 });

    const result = await runCli(['status', '--json'], sandbox.env);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status).toMatchObject({
      loggedIn: true,
      source: `Codex CLI auth.json (${sandbox.authJsonPath})`,
      accountId: login.accountId,
      email: 'grace@example.com',
      plan: 'pro',
      accessTokenExpiresAt: login.accessTokenExpiresAt.toISOString(),
      canRefresh: true,
      usage: {
        plan_type: 'pro',
        rate_limit: {
          primary_window: { used_percent: 42, limit_window_seconds: 18000 },
          secondary_window: { used_percent: 7, limit_window_seconds: 604800 },
        },
      },
    });
    expect(result.stdout + result.stderr).not.toContain(login.accessToken);
    expect(emulator.requestsTo('usage').at(-1)?.headers).toMatchObject({
      'chatgpt-account-id': login.accountId,
    });
  });

  it('prints a readable summary by default', async () => {
    sandbox = await createCliSandbox(emulator);
    const login = await emulator.login({ planType: 'plus', email: 'alan@example.com' });
    await writeFile(sandbox.authJsonPath, JSON.stringify(emulator.authJson(login)), { mode: 0o600 });

    const result = await runCli(['status'], sandbox.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Account\s+\S+/);
    expect(result.stdout).toMatch(/Email\s+alan@example\.com/);
    expect(result.stdout).toMatch(/Plan\s+plus/);
    expect(result.stdout).toMatch(/Usage\s+5-hour limit: 42% used, resets in/);
    expect(result.stdout).toMatch(/Weekly limit: 7% used/);
  });

  it('refreshes an expired access token first, as any model call would', async () => {
    const { emulator: expiring, expiredLogin } = await startEmulatorWithExpiredLogins();
    try {
      sandbox = await createCliSandbox(expiring);
      const login = await expiredLogin();
      await writeFile(sandbox.authJsonPath, JSON.stringify(expiring.authJson(login)), { mode: 0o600 });

      const result = await runCli(['status', '--json'], sandbox.env);
      expect(result.code).toBe(0);
      expect(expiring.counters.refreshes).toBe(1);
      expect(Date.parse(JSON.parse(result.stdout).accessTokenExpiresAt)).toBeGreaterThan(Date.now());
    } finally {
      await expiring.close();
    }
  });

  it('exits 3 with what to do when there is no login, and says so in --json', async () => {
    sandbox = await createCliSandbox(emulator);
    const result = await runCli(['status', '--json'], sandbox.env);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ loggedIn: false, reason: 'missing' });
    expect(result.stderr).toContain('ai-sdk-provider-codex login');
  });

  it('names the file and the fix when auth.json is damaged', async () => {
    sandbox = await createCliSandbox(emulator);
    await writeFile(sandbox.authJsonPath, '{"tokens": {"access_token": "eyJ', { mode: 0o600 });
    const result = await runCli(['status'], sandbox.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(sandbox.authJsonPath);
    expect(result.stderr).toMatch(/not valid JSON/);
  });
});
