import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodexEmulator, startCodexEmulator } from '../src/testing';
import { launchChromium } from './support/chromium';
import {
  CLI_TEST_TIMEOUT_MS,
  createCliSandbox,
  type startCli as StartCli,
  startCli,
} from './support/cli-process';
import { ensureCodexCli, runCodex } from './support/codex-cli';

let emulator: CodexEmulator;
let codexBin: string;
let sandbox: Awaited<ReturnType<typeof createCliSandbox>>;
const running: Array<ReturnType<typeof StartCli>> = [];

// The first use installs the Codex CLI (about 420 MB) into a cache outside the repo: allow minutes.
beforeAll(async () => {
  codexBin = await ensureCodexCli();
  emulator = await startCodexEmulator({
    account: { email: 'ada@example.com', planType: 'pro', accountId: 'acc-login-1' },
    deviceCodeIntervalSeconds: 1,
  });
}, 15 * 60_000);
afterAll(async () => {
  await emulator?.close();
});
afterEach(async () => {
  for (const cli of running.splice(0)) {
    if (cli.child.exitCode == null) cli.child.kill('SIGKILL');
  }
  await sandbox?.cleanup();
});

async function login(args: string[]) {
  sandbox = await createCliSandbox(emulator);
  const cli = startCli(['login', ...args], sandbox.env);
  running.push(cli);
  return cli;
}

/**
 * The saved login is the Codex CLI's auth.json for the account that signed in, readable only by its owner,
 * and the real Codex CLI accepts it.
 */
async function expectCodexAuthJson(path: string) {
  expect((await stat(path)).mode & 0o777).toBe(0o600);
  const codex = await runCodex(codexBin, ['login', 'status'], {
    codexHome: sandbox.codexHome,
    cwd: sandbox.root,
  });
  expect(codex.code, codex.stderr).toBe(0);
  expect(codex.stdout + codex.stderr).toContain('Logged in using ChatGPT');
  const document = JSON.parse(await readFile(path, 'utf8'));
  expect(document).toMatchObject({
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: { account_id: 'acc-login-1' },
  });
  for (const token of ['id_token', 'access_token', 'refresh_token']) {
    expect(typeof document.tokens[token]).toBe('string');
  }
  expect(Number.isNaN(Date.parse(document.last_refresh))).toBe(false);
  return document;
}

/** Every token the emulator issued must stay out of the terminal. */
function expectNoTokens(output: string, document: { tokens: Record<string, string> }) {
  for (const name of ['id_token', 'access_token', 'refresh_token']) {
    expect(output).not.toContain(document.tokens[name]);
  }
}

describe('login (browser, PKCE)', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
    browser = await launchChromium(profile);
  });
  afterAll(async () => {
    await browser?.close();
    await rm(profile, { recursive: true, force: true });
  });

  it('signs in through the consent page clicked in Chromium and writes the Codex auth.json', async () => {
    const cli = await login(['--no-browser', '--port', '0']);
    const [authorizeUrl] = await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+/);
    const url = new URL(authorizeUrl);
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/auth\/callback$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('originator')).toBe('codex_cli_rs');

    const page = await browser.newPage();
    await page.goto(authorizeUrl);
    await page.click('#approve');
    await page.waitForURL(/\/success$/);
    expect(await page.textContent('h1')).toContain('Signed in');
    await page.close();

    const result = await cli.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Logged in as ada@example.com (ChatGPT pro, account acc-login-1)');
    expect(result.stdout).toContain(`Saved to Codex CLI auth.json (${sandbox.authJsonPath})`);
    const document = await expectCodexAuthJson(sandbox.authJsonPath);
    expectNoTokens(result.stdout + result.stderr, document);
    // The emulator checked the PKCE verifier against the challenge of the authorize URL.
    expect(emulator.requestsTo('token').at(-1)?.body).toMatchObject({ grant_type: 'authorization_code' });
  });

  it('ends with the OAuth error when the user cancels on the consent page', async () => {
    const cli = await login(['--no-browser', '--port', '0']);
    const [authorizeUrl] = await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+/);
    const page = await browser.newPage();
    await page.goto(authorizeUrl);
    await page.click('#deny');
    await page.waitForLoadState();
    expect(await page.textContent('body')).toContain('Sign-in could not be completed');
    await page.close();

    const result = await cli.exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Sign-in failed: The user cancelled the sign-in');
    await expect(stat(sandbox.authJsonPath)).rejects.toThrow(/ENOENT/);
  });
});

describe('login (pasted redirect URL)', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('completes with the redirect URL pasted on stdin when the browser cannot reach the callback', async () => {
    const cli = await login(['--no-browser', '--port', '0']);
    const [authorizeUrl] = await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+/);

    // The browser on another machine: it signs in, but its redirect to localhost goes nowhere.
    const consent = await (await fetch(authorizeUrl)).text();
    const requestId = consent.match(/name="request_id" value="([^"]+)"/)?.[1];
    const decision = await fetch(`${emulator.issuer}/oauth/authorize/decision`, {
      method: 'POST',
      body: new URLSearchParams({ request_id: requestId!, decision: 'approve' }),
      redirect: 'manual',
    });
    const redirectedTo = decision.headers.get('location')!;
    expect(redirectedTo).toMatch(/^http:\/\/localhost:\d+\/auth\/callback\?code=/);

    cli.write('this is not it\n');
    await cli.waitFor(/That is not the sign-in redirect URL/);
    cli.write(`${redirectedTo}\n`);

    const result = await cli.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Logged in as ada@example.com');
    expectNoTokens(result.stdout + result.stderr, await expectCodexAuthJson(sandbox.authJsonPath));
  });

  it('refuses a pasted redirect that belongs to another login attempt and keeps waiting', async () => {
    const cli = await login(['--no-browser', '--port', '0']);
    await cli.waitFor(/\/oauth\/authorize\?/);
    cli.write('http://localhost:1455/auth/callback?code=abc&state=not-this-login\n');
    await cli.waitFor(/state mismatch/);
    expect(cli.child.exitCode).toBeNull();
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.code).toBe(130);
    await expect(stat(sandbox.authJsonPath)).rejects.toThrow(/ENOENT/);
  });
});

describe('login --device', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('shows the code and URL, and completes once the code is approved on /codex/device', async () => {
    const cli = await login(['--device']);
    const [, verificationUrl] = await cli.waitFor(/(http:\/\/\S+\/codex\/device)/);
    const [, userCode] = await cli.waitFor(/^\s+([A-Z0-9]{4}-[A-Z0-9]{5})\s*$/m);
    expect(verificationUrl).toBe(`${emulator.issuer}/codex/device`);

    // What the person does in a browser elsewhere: type the code on the device page and continue.
    const approval = await fetch(verificationUrl!, {
      method: 'POST',
      body: new URLSearchParams({ user_code: userCode!, decision: 'approve' }),
    });
    expect(approval.status).toBe(200);

    const result = await cli.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Logged in as ada@example.com (ChatGPT pro, account acc-login-1)');
    expectNoTokens(result.stdout + result.stderr, await expectCodexAuthJson(sandbox.authJsonPath));
    // It polled with the device id and code while waiting, at the interval the server asked for.
    expect(emulator.requestsTo('device_token').length).toBeGreaterThan(0);
  });

  it('writes the login to the file chosen with --file instead', async () => {
    const cli = await login(['--device', '--file', 'custom-auth.json']);
    const [, userCode] = await cli.waitFor(/^\s+([A-Z0-9]{4}-[A-Z0-9]{5})\s*$/m);
    expect(emulator.approveDeviceCode(userCode!)).toBe(true);
    const result = await cli.exited;
    expect(result.code).toBe(0);
    const file = join(sandbox.root, 'custom-auth.json');
    expect(result.stdout).toContain(`Saved to credentials file (${file})`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).tokens.account_id).toBe('acc-login-1');
    await expect(stat(sandbox.authJsonPath)).rejects.toThrow(/ENOENT/);
  });
});
