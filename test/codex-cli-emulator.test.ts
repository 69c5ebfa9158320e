import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CODEX_CLIENT_ID,
  type CodexEmulator,
  type EmulatorLogin,
  functionCallTurn,
  startCodexEmulator,
  textTurn,
} from '../src/testing';
import { CODEX_CLI_VERSION, customProviderArgs, runCodex, useCodexCliDirs } from './support/codex-cli';

// The official client is the judge of the emulator's faithfulness: it must complete turns, replay tool
// calls and refresh tokens against it exactly as it does against chatgpt.com and auth.openai.com.
describe(`the real Codex CLI ${CODEX_CLI_VERSION} against the emulator`, () => {
  const cli = useCodexCliDirs();
  let emulator: CodexEmulator;

  beforeEach(async () => {
    emulator = await startCodexEmulator();
  });

  afterEach(async () => {
    await emulator.close();
  });

  const writeAuthJson = (login: EmulatorLogin) =>
    writeFile(join(cli.codexHome, 'auth.json'), JSON.stringify(emulator.authJson(login), null, 2), {
      mode: 0o600,
    });

  const readAuthJson = async () =>
    JSON.parse(await readFile(join(cli.codexHome, 'auth.json'), 'utf8')) as {
      tokens: { access_token: string; refresh_token: string; account_id: string };
    };

  const codexExec = async (prompt: string, options: { websockets?: boolean } = {}) => {
    const result = await runCodex(
      cli.bin,
      [
        'exec',
        '--skip-git-repo-check',
        ...customProviderArgs({
          baseURL: emulator.baseURL,
          chatgptBaseURL: emulator.chatgptBaseURL,
          ...options,
        }),
        '-m',
        'gpt-5.5',
        prompt,
      ],
      {
        codexHome: cli.codexHome,
        cwd: cli.workDir,
        env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: emulator.tokenURL },
      },
    );
    expect(result.code, `codex exec failed:\n${result.stderr.slice(-4000)}`).toBe(0);
    return result;
  };

  it('completes codex exec turns, a function call round trip included', async () => {
    const login = await emulator.login();
    await writeAuthJson(login);
    emulator.enqueue(
      functionCallTurn(
        { name: 'exec_command', arguments: { cmd: 'echo emulator-tool-ok' }, callId: 'call_emulator_check' },
        { reasoning: 'Running the check the user asked for.' },
      ),
      textTurn('All done: the check ran.'),
    );

    const first = await codexExec('Run the check');
    expect(first.stdout).toContain('All done: the check ran.');

    const [models] = emulator.requestsTo('models');
    expect(models?.query.client_version).toBe(CODEX_CLI_VERSION);
    const turns = emulator.requestsTo('responses');
    expect(turns).toHaveLength(2);
    expect(turns[0]?.headers).toMatchObject({
      authorization: `Bearer ${login.accessToken}`,
      'chatgpt-account-id': login.accountId,
      originator: 'codex_exec',
    });
    expect(turns[0]?.body).toMatchObject({
      model: 'gpt-5.5',
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
    });
    // Within the turn the CLI echoes the turn-state token the emulator sent with the first response.
    expect(turns[0]?.headers['x-codex-turn-state']).toBeUndefined();
    expect(turns[1]?.headers['x-codex-turn-state']).toMatch(/^ts_/);
    // The follow-up replays the reasoning item (with its encrypted content) and answers the call.
    const followUp = (turns[1]!.body as { input: Array<Record<string, unknown>> }).input;
    expect(followUp).toContainEqual(
      expect.objectContaining({ type: 'reasoning', encrypted_content: expect.stringMatching(/^gAAAA/) }),
    );
    expect(followUp).toContainEqual(
      expect.objectContaining({
        type: 'function_call',
        call_id: 'call_emulator_check',
        name: 'exec_command',
      }),
    );
    expect(followUp).toContainEqual(
      expect.objectContaining({ type: 'function_call_output', call_id: 'call_emulator_check' }),
    );

    const second = await codexExec('Say hello');
    expect(second.stdout).toContain('Hello from the Codex emulator.');
    expect(emulator.counters.completedStreams).toBe(3);
    expect(emulator.counters.unauthorized).toBe(0);
  }, 180_000);

  it('completes tool turns over the /responses WebSocket, continuing with only the new items', async () => {
    const login = await emulator.login();
    await writeAuthJson(login);
    emulator.enqueue(
      functionCallTurn(
        { name: 'exec_command', arguments: { cmd: 'echo websocket-tool-ok' }, callId: 'call_ws_check' },
        { reasoning: 'Running the check the user asked for.' },
      ),
      textTurn('All done over the WebSocket.'),
    );

    const result = await codexExec('Run the check', { websockets: true });
    expect(result.stdout).toContain('All done over the WebSocket.');

    const [upgrade] = emulator.requestsTo('websocket');
    expect(upgrade?.headers).toMatchObject({
      authorization: `Bearer ${login.accessToken}`,
      'openai-beta': 'responses_websockets=2026-02-06',
    });
    const messages = emulator.requestsTo('responses');
    expect(messages.every(m => m.transport === 'websocket')).toBe(true);
    const generated = messages.filter(m => m.websocket?.generate);
    expect(generated).toHaveLength(2);
    // The follow-up names the response with the call and sends the call's output, not the history again.
    expect(generated[1]?.websocket?.incremental).toBe(true);
    const followUp = (generated[1]!.body as { input: Array<Record<string, unknown>> }).input;
    expect(followUp).toContainEqual(
      expect.objectContaining({ type: 'function_call_output', call_id: 'call_ws_check' }),
    );
    expect(followUp).not.toContainEqual(expect.objectContaining({ type: 'function_call' }));
    // The turn state the emulator sent in response.metadata comes back in the follow-up's client_metadata,
    // under the header's own name (not as a ws_request_header_ entry like the Lite flag).
    expect(
      generated.map(m => (m.body as { client_metadata?: Record<string, string> }).client_metadata),
    ).toEqual([
      expect.not.objectContaining({ 'x-codex-turn-state': expect.anything() }),
      expect.objectContaining({ 'x-codex-turn-state': expect.stringMatching(/^ts_/) }),
    ]);
    expect(upgrade?.headers).not.toHaveProperty('x-codex-turn-state');
    expect(emulator.counters.completedStreams).toBe(2);
    expect(emulator.counters.websocketConnections).toBeGreaterThanOrEqual(1);
  }, 180_000);

  it('refreshes an expired access token at CODEX_REFRESH_TOKEN_URL_OVERRIDE and is accepted with the rotated token', async () => {
    const login = await emulator.login({ accessTokenTtlSeconds: -60 });
    await writeAuthJson(login);

    const result = await codexExec('Say hello');
    expect(result.stdout).toContain('Hello from the Codex emulator.');

    expect(emulator.counters.refreshes).toBe(1);
    expect(emulator.counters.reuseRejections).toBe(0);
    const [refresh] = emulator.requestsTo('token');
    expect(refresh?.headers['content-type']).toMatch(/^application\/json/);
    expect(refresh?.body).toEqual({
      client_id: CODEX_CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_reason: 'proactive_expiry',
      refresh_token: login.refreshToken,
    });

    const stored = await readAuthJson();
    expect(stored.tokens.refresh_token).not.toBe(login.refreshToken);
    expect(stored.tokens.access_token).not.toBe(login.accessToken);
    expect(stored.tokens.account_id).toBe(login.accountId);
    expect((await stat(join(cli.codexHome, 'auth.json'))).mode & 0o777).toBe(0o600);

    const [turn] = emulator.requestsTo('responses');
    expect(turn?.headers.authorization).toBe(`Bearer ${stored.tokens.access_token}`);
    expect(emulator.counters.unauthorized).toBe(0);
    expect(emulator.counters.completedStreams).toBe(1);
  }, 180_000);
});
