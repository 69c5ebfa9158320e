import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useExpiredLoginsWithCodexHome } from './support/auth-harness';
import { raceWorkers } from './support/run-worker';

// A slow token endpoint widens the race: every process sees the expired token before the first refresh ends.
const ctx = useExpiredLoginsWithCodexHome({ tokenEndpointDelayMs: 400 });

it('8 processes sharing one auth.json on an expired token refresh once, with no reuse, and all succeed', async () => {
  const login = await ctx.expiredLogin();
  const original = { ...ctx.emulator.authJson(login), agent_identity: { kept: true } };
  await writeFile(join(ctx.codexHome, 'auth.json'), JSON.stringify(original, null, 2), { mode: 0o644 });

  const results = await raceWorkers(8, join(ctx.codexHome, 'go'), {
    WORKER_STORE: 'file',
    CODEX_HOME: ctx.codexHome,
    WORKER_BASE_URL: ctx.emulator.baseURL,
    WORKER_TOKEN_URL: ctx.emulator.tokenURL,
  });

  expect(results).toEqual(Array.from({ length: 8 }, () => ({ status: 200 })));
  expect(ctx.emulator.counters.refreshes).toBe(1);
  expect(ctx.emulator.counters.reuseRejections).toBe(0);
  expect(ctx.emulator.counters.refreshFailures).toBe(0);

  const path = join(ctx.codexHome, 'auth.json');
  const text = await readFile(path, 'utf8');
  const file = JSON.parse(text);
  expect(Object.keys(file)).toEqual([
    'auth_mode',
    'OPENAI_API_KEY',
    'tokens',
    'last_refresh',
    'agent_identity',
  ]);
  expect(file).toMatchObject({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, agent_identity: { kept: true } });
  expect(Object.keys(file.tokens)).toEqual(['id_token', 'access_token', 'refresh_token', 'account_id']);
  expect(file.tokens.account_id).toBe(login.accountId);
  expect(file.tokens.refresh_token).not.toBe(login.refreshToken);
  expect(file.tokens.access_token).not.toBe(login.accessToken);
  expect(Date.parse(file.last_refresh)).toBeGreaterThan(Date.parse(original.last_refresh));
  // Pretty-printed like the Codex CLI writes it, and private again.
  expect(text).toBe(JSON.stringify(file, null, 2));
  expect((await stat(path)).mode & 0o777).toBe(0o600);
}, 180_000);
