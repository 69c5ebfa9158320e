import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateText } from 'ai';
import { expect, it } from 'vitest';
import { createCodexCliCredentialStore } from '../src/auth/stores/file-store';
import { createCodexTokenManager } from '../src/auth/token-manager';
import { createCodex } from '../src/codex-provider';
import { useExpiredLoginsWithCodexHome } from './support/auth-harness';

const ctx = useExpiredLoginsWithCodexHome();

it('1,000 concurrent generateText calls on an expired token: exactly one refresh, all succeed', async () => {
  const login = await ctx.expiredLogin();
  await writeFile(join(ctx.codexHome, 'auth.json'), JSON.stringify(ctx.emulator.authJson(login), null, 2), {
    mode: 0o600,
  });
  const codex = createCodex({
    baseURL: ctx.emulator.baseURL,
    auth: createCodexTokenManager({
      source: createCodexCliCredentialStore({ codexHome: ctx.codexHome }),
      tokenURL: ctx.emulator.tokenURL,
    }),
  });

  const results = await Promise.all(
    Array.from({ length: 1000 }, (_, i) => generateText({ model: codex('gpt-5.5'), prompt: `Hello ${i}` })),
  );

  expect(results.every(result => result.text.length > 0)).toBe(true);
  expect(ctx.emulator.counters.refreshes).toBe(1);
  expect(ctx.emulator.counters.reuseRejections).toBe(0);
  expect(ctx.emulator.counters.unauthorized).toBe(0);
  expect(ctx.emulator.counters.completedStreams).toBe(1000);
}, 180_000);
