import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { useExpiredLoginsWithCodexHome } from './support/auth-harness';
import { startWorker } from './support/run-worker';

const withKeyring = fileURLToPath(new URL('../scripts/with-keyring.sh', import.meta.url));

const ctx = useExpiredLoginsWithCodexHome();

function requireTool(tool: string, fix: string) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not installed; the keychain test needs a real Secret Service: ${fix}`);
  }
}

it('finds the Codex CLI keychain entry on a real Secret Service, rotates it in place, and names a missing entry', async () => {
  requireTool('dbus-run-session', 'apt-get install dbus-daemon dbus-user-session');
  requireTool('gnome-keyring-daemon', 'apt-get install gnome-keyring');
  requireTool('secret-tool', 'apt-get install libsecret-tools');
  const login = await ctx.expiredLogin();
  const original = { ...ctx.emulator.authJson(login), agent_identity: { kept: true } };

  const worker = await startWorker(
    {
      CODEX_HOME: ctx.codexHome,
      WORKER_AUTH_JSON: JSON.stringify(original),
      WORKER_BASE_URL: ctx.emulator.baseURL,
      WORKER_TOKEN_URL: ctx.emulator.tokenURL,
    },
    { wrapper: [withKeyring], script: 'keychain-worker' },
  );
  const result = (await worker.result) as {
    call: { value?: number; error?: string };
    source?: string;
    missing: { error?: string; reason?: string };
    stored: string;
    attributes: string;
  };

  expect(result.call).toEqual({ value: 200 });
  expect(result.source).toMatch(/^Codex CLI keychain entry "Codex Auth" \/ "cli\|[0-9a-f]{16}"$/);
  expect(ctx.emulator.counters.refreshes).toBe(1);

  // Rotated in place, in the CLI's compact JSON, with every field it had and keyring-rs's attributes kept.
  const stored = JSON.parse(result.stored);
  expect(result.stored).toBe(JSON.stringify(stored));
  expect(stored).toMatchObject({
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    agent_identity: { kept: true },
  });
  expect(stored.tokens.refresh_token).not.toBe(login.refreshToken);
  expect(stored.tokens.account_id).toBe(login.accountId);
  expect(result.attributes).toContain('attribute.target = default');
  expect(result.attributes).toContain('attribute.application = rust-keyring');
  expect(result.attributes.match(/^\[/gm)).toHaveLength(1);

  expect(result.missing.reason).toBe('missing');
  expect(result.missing.error).toContain('OS keychain entry "ai-sdk-provider-codex" / "nobody"');
  expect(result.missing.error).toContain('npx ai-sdk-provider-codex login');
}, 120_000);
