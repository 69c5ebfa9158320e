/**
 * Runs the Codex emulator in its own process, so the process under measurement pays only for its own
 * work. Driven over IPC by `remote-emulator.ts`.
 */
import { type ScriptedResponse, startCodexEmulator } from '../src/testing';

export type EmulatorRequest =
  | { op: 'login'; expired?: boolean }
  | { op: 'enqueue'; response: ScriptedResponse; times: number }
  | { op: 'counters' }
  | { op: 'requestSizes' }
  | { op: 'reset' };

// Logins issued with the clock set back have an access token that expired a minute ago, while the
// tokens their refreshes issue are valid for an hour (a login's lifetimes apply to its family).
let offsetMs = 0;
const emulator = await startCodexEmulator({
  validation: false,
  accessTokenTtlSeconds: 3600,
  now: () => Date.now() + offsetMs,
});

async function handle(request: EmulatorRequest): Promise<unknown> {
  switch (request.op) {
    case 'login': {
      if (request.expired) offsetMs = -3_660_000;
      try {
        const login = await emulator.login();
        return { login, authJson: emulator.authJson(login) };
      } finally {
        offsetMs = 0;
      }
    }
    case 'enqueue':
      for (let i = 0; i < request.times; i++) emulator.enqueue(request.response);
      return null;
    case 'counters':
      return emulator.counters;
    case 'requestSizes':
      // Bytes of each `/responses` request body or WebSocket message, as received.
      return emulator.requestsTo('responses').map(request => Buffer.byteLength(request.bodyText));
    case 'reset':
      emulator.reset();
      return null;
  }
}

process.on('message', async (message: { id: number; request: EmulatorRequest }) => {
  try {
    process.send!({ id: message.id, result: await handle(message.request) });
  } catch (error) {
    process.send!({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
process.on('disconnect', () => {
  void emulator.close().then(() => process.exit(0));
});
process.send!({ ready: { url: emulator.url, baseURL: emulator.baseURL, tokenURL: emulator.tokenURL } });
