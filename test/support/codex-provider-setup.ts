import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { convertReadableStreamToArray } from '@ai-sdk/provider-utils/test';
import { afterEach } from 'vitest';
import { type CodexProviderSettings, createCodex } from '../../src/codex-provider';
import {
  type CodexEmulator,
  type CodexEmulatorOptions,
  type EmulatorLogin,
  startCodexEmulator,
} from '../../src/testing';

/** An emulator (default validation rules) with a fresh login and a provider pointed at it. */
export async function startCodexProvider(
  options: { emulator?: CodexEmulatorOptions; provider?: CodexProviderSettings } = {},
): Promise<{
  emulator: CodexEmulator;
  login: EmulatorLogin;
  codex: ReturnType<typeof createCodex>;
  /** Bodies of the `POST /responses` requests received so far. */
  responseBodies: () => Array<Record<string, unknown>>;
}> {
  const emulator = await startCodexEmulator(options.emulator);
  const login = await emulator.login();
  const codex = createCodex({
    baseURL: emulator.baseURL,
    auth: { accessToken: login.accessToken, accountId: login.accountId },
    ...options.provider,
  });
  return {
    emulator,
    login,
    codex,
    responseBodies: () =>
      emulator.requestsTo('responses').map(request => request.body as Record<string, unknown>),
  };
}

/**
 * Registers an `afterEach` that closes the emulator of the current test and returns a `setup`
 * that starts one with {@link startCodexProvider}.
 */
export function useCodexProviderPerTest() {
  let emulator: CodexEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  return async (...args: Parameters<typeof startCodexProvider>) => {
    const setup = await startCodexProvider(...args);
    emulator = setup.emulator;
    return setup;
  };
}

export async function streamParts(stream: ReadableStream<LanguageModelV4StreamPart>) {
  return convertReadableStreamToArray(stream);
}
