import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import type { CodexAuth } from '../../src/auth/codex-auth';
import {
  type CodexEmulator,
  type CodexEmulatorOptions,
  type EmulatorLogin,
  type LoginOptions,
  startCodexEmulator,
} from '../../src/testing';

/**
 * One backend call the way the language model makes it: credentials before the request, and on a 401 one
 * `handleUnauthorized` and one retry. Uses `GET /models`, which checks the token like `/responses` does.
 */
export async function callBackend(baseURL: string, auth: CodexAuth): Promise<number> {
  const send = (credentials: { accessToken: string; accountId?: string }) =>
    fetch(`${baseURL}/models?client_version=0.171.0`, {
      headers: {
        authorization: `Bearer ${credentials.accessToken}`,
        'chatgpt-account-id': credentials.accountId ?? '',
      },
    });
  const credentials = await auth.getCredentials();
  let response = await send(credentials);
  if (response.status === 401 && auth.handleUnauthorized) {
    await response.body?.cancel();
    const retry = await auth.handleUnauthorized(credentials);
    if (retry == null) return 401;
    response = await send(retry);
  }
  await response.body?.cancel();
  return response.status;
}

/**
 * Starts an emulator whose clock can be set back, so a test can issue a login whose access token has already
 * expired while the tokens its refreshes issue are valid for an hour (a login's lifetimes apply to its family).
 */
export async function startEmulatorWithExpiredLogins(options: CodexEmulatorOptions = {}) {
  let offsetMs = 0;
  const emulator = await startCodexEmulator({
    accessTokenTtlSeconds: 3600,
    ...options,
    now: () => Date.now() + offsetMs,
  });
  return {
    emulator,
    /** Sets the emulator's clock this far from the real one (tokens it issues expire relative to it). */
    setClockOffset(ms: number) {
      offsetMs = ms;
    },
    /** A login whose access token expired a minute ago. */
    async expiredLogin(account: LoginOptions = {}): Promise<EmulatorLogin> {
      offsetMs = -3660_000;
      try {
        return await emulator.login(account);
      } finally {
        offsetMs = 0;
      }
    },
  };
}

/**
 * Per test: an emulator from {@link startEmulatorWithExpiredLogins} and an empty temp CODEX_HOME, both removed
 * after the test. Read the fields inside tests; they are replaced before each one.
 */
export function useExpiredLoginsWithCodexHome(options: CodexEmulatorOptions = {}) {
  const context = {} as {
    emulator: CodexEmulator;
    expiredLogin: () => Promise<EmulatorLogin>;
    codexHome: string;
  };
  beforeEach(async () => {
    ({ emulator: context.emulator, expiredLogin: context.expiredLogin } =
      await startEmulatorWithExpiredLogins(options));
    context.codexHome = await mkdtemp(join(tmpdir(), 'codex-home-'));
  });
  afterEach(async () => {
    await context.emulator.close();
    await rm(context.codexHome, { recursive: true, force: true });
  });
  return context;
}

/** Asserts that no token of `login` appears anywhere in `error`: its fields, message, stack or cause. */
export function expectNoTokensIn(error: Error, login: EmulatorLogin): void {
  const everything = JSON.stringify({
    ...error,
    message: error.message,
    stack: error.stack,
    cause: error.cause,
  });
  for (const token of [login.accessToken, login.refreshToken, login.idToken]) {
    expect(everything).not.toContain(token);
  }
}
