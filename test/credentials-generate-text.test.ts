import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateText } from 'ai';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createCodexCliCredentialStore } from '../src/auth/stores/file-store';
import { createCodexTokenManager } from '../src/auth/token-manager';
import { createCodex } from '../src/codex-provider';
import type { CodexEmulator, EmulatorLogin } from '../src/testing';
import { startEmulatorWithExpiredLogins } from './support/auth-harness';

let emulator: CodexEmulator;
let expiredLogin: () => Promise<EmulatorLogin>;
let codexHome: string;

beforeEach(async () => {
  ({ emulator, expiredLogin } = await startEmulatorWithExpiredLogins());
  codexHome = await mkdtemp(join(tmpdir(), 'codex-home-'));
});

afterEach(async () => {
  await emulator.close();
  await rm(codexHome, { recursive: true, force: true });
});

it('1,000 concurrent generateText calls on an expired token: exactly one refresh, all succeed', async () => {
  const login = await expiredLogin();
  await writeFile(join(codexHome, 'auth.json'), JSON.stringify(emulator.authJson(login), null, 2), {
    mode: 0o600,
  });
  const codex = createCodex({
    baseURL: emulator.baseURL,
    auth: createCodexTokenManager({
      source: createCodexCliCredentialStore({ codexHome }),
      tokenURL: emulator.tokenURL,
    }),
  });

  const results = await Promise.all(
    Array.from({ length: 1000 }, (_, i) => generateText({ model: codex('gpt-5.5'), prompt: `Hello ${i}` })),
  );

  expect(results.every(result => result.text.length > 0)).toBe(true);
  expect(emulator.counters.refreshes).toBe(1);
  expect(emulator.counters.reuseRejections).toBe(0);
  expect(emulator.counters.unauthorized).toBe(0);
  expect(emulator.counters.completedStreams).toBe(1000);
}, 180_000);
