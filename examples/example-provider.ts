/**
 * Shared by the examples: the Codex provider they run against.
 *
 * - Default: your ChatGPT login (the Codex CLI's `~/.codex/auth.json`, or `CODEX_ACCESS_TOKEN`).
 * - `CODEX_EMULATOR=1`: a local emulator of the Codex backend answering with the scripted turns each
 *   example passes, so the examples run with no account and no network.
 */
import { type CodexProvider, codex, createCodex } from 'ai-sdk-provider-codex';
import type { ScriptedResponse } from 'ai-sdk-provider-codex/testing';

export const usesEmulator = process.env.CODEX_EMULATOR === '1';

export async function exampleProvider(
  script: () => Promise<ScriptedResponse[]> | ScriptedResponse[],
): Promise<{ codex: CodexProvider; close: () => Promise<void> }> {
  if (!usesEmulator) return { codex, close: async () => {} };

  const { startCodexEmulator } = await import('ai-sdk-provider-codex/testing');
  const emulator = await startCodexEmulator();
  const login = await emulator.login();
  emulator.enqueue(...(await script()));
  return {
    codex: createCodex({
      baseURL: emulator.baseURL,
      auth: { accessToken: login.accessToken, accountId: login.accountId },
    }),
    close: () => emulator.close(),
  };
}
