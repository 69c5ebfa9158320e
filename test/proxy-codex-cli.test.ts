import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionCallTurn, textTurn } from '../src/testing';
import { CODEX_CLI_VERSION, runCodex, useCodexCliDirs } from './support/codex-cli';
import { liteFlagOf } from './support/emulator-requests';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

// The official Codex CLI as a client of the proxy: a custom provider whose base_url is the proxy's /v1
// and whose env_key names a variable holding the proxy key, exactly as a user would configure it.
describe(`the real Codex CLI ${CODEX_CLI_VERSION} through the proxy`, () => {
  const cli = useCodexCliDirs();
  let harness: ProxyOverEmulator;

  beforeEach(async () => {
    harness = await startProxyOverEmulator();
  });

  /**
   * A proxy that reaches the backend over SSE, for the tests that read the history it forwards, which SSE
   * sends whole; over the WebSocket a follow-up carries only the new items (the tests below check that).
   */
  async function useSseUpstream(): Promise<void> {
    await harness.close();
    harness = await startProxyOverEmulator({ proxy: { codex: { transport: 'sse' } } });
  }

  afterEach(async () => {
    await harness.close();
  });

  const codexExec = (
    prompt: string,
    { proxyKey = PROXY_API_KEY, model = 'gpt-5.5', websockets = false } = {},
  ) =>
    runCodex(
      cli.bin,
      [
        'exec',
        '--skip-git-repo-check',
        '-c',
        'model_provider="codex-proxy"',
        '-c',
        `model_providers.codex-proxy={name="Codex proxy", base_url="${harness.baseURL}", wire_api="responses", env_key="CODEX_PROXY_KEY"${websockets ? ', supports_websockets=true' : ''}}`,
        '-m',
        model,
        prompt,
      ],
      { codexHome: cli.codexHome, cwd: cli.workDir, env: { CODEX_PROXY_KEY: proxyKey } },
    );

  it('completes a turn with a tool call', async () => {
    await useSseUpstream();
    harness.emulator.enqueue(
      functionCallTurn(
        { name: 'exec_command', arguments: { cmd: 'echo proxy-tool-ok' }, callId: 'call_proxy_check' },
        { reasoning: 'Running the check.' },
      ),
      textTurn('Done: the check printed proxy-tool-ok.'),
    );

    const result = await codexExec('Run the check');
    expect(result.code, `codex exec failed:\n${result.stderr.slice(-4000)}`).toBe(0);
    expect(result.stdout).toContain('Done: the check printed proxy-tool-ok.');

    const turns = harness.emulator.requestsTo('responses');
    expect(turns).toHaveLength(2);
    // The backend sees the proxy's ChatGPT login, never the proxy key.
    expect(turns[0]?.headers.authorization).toBe(`Bearer ${harness.login.accessToken}`);
    expect(turns[0]?.body).toMatchObject({ model: 'gpt-5.5', store: false, stream: true });
    const followUp = (turns[1]!.body as { input: Array<Record<string, unknown>> }).input;
    expect(followUp).toContainEqual(
      expect.objectContaining({ type: 'function_call', call_id: 'call_proxy_check', name: 'exec_command' }),
    );
    expect(followUp).toContainEqual(
      expect.objectContaining({
        type: 'function_call_output',
        call_id: 'call_proxy_check',
        output: expect.stringContaining('proxy-tool-ok'),
      }),
    );
    expect(followUp).toContainEqual(
      expect.objectContaining({ type: 'reasoning', encrypted_content: expect.stringMatching(/^gAAAA/) }),
    );
  }, 180_000);

  it('completes a tool turn with gpt-6.2-sol in the Responses Lite shape, the Lite header passed through', async () => {
    await useSseUpstream();
    harness.emulator.enqueue(
      functionCallTurn(
        {
          name: 'exec_command',
          arguments: { cmd: 'echo lite-tool-ok' },
          callId: 'call_lite_check',
          namespace: 'functions',
        },
        { reasoning: 'Running the check.' },
      ),
      textTurn('Done: the check printed lite-tool-ok.'),
    );

    const result = await codexExec('Run the check', { model: 'gpt-6.2-sol' });
    expect(result.code, `codex exec failed:\n${result.stderr.slice(-4000)}`).toBe(0);
    expect(result.stdout).toContain('Done: the check printed lite-tool-ok.');

    const turns = harness.emulator.requestsTo('responses');
    expect(turns).toHaveLength(2);
    for (const turn of turns) {
      expect(liteFlagOf(turn)).toBe('true');
      expect(turn.headers['x-codex-beta-features']).toContain('remote_compaction_v2');
      const body = turn.body as { model: string; tools?: unknown; input: Array<Record<string, unknown>> };
      expect(body.model).toBe('gpt-6.2-sol');
      expect(body.tools).toBeUndefined();
      expect(body.input[0]).toMatchObject({ type: 'additional_tools' });
    }
    const followUp = (turns[1]!.body as { input: Array<Record<string, unknown>> }).input;
    expect(followUp).toContainEqual(
      expect.objectContaining({
        type: 'function_call_output',
        call_id: 'call_lite_check',
        output: expect.stringContaining('lite-tool-ok'),
      }),
    );
  }, 180_000);

  it("completes a tool turn over the proxy's WebSocket, the backend getting only the new items after the first request", async () => {
    harness.emulator.enqueue(
      functionCallTurn(
        { name: 'exec_command', arguments: { cmd: 'echo ws-proxy-ok' }, callId: 'call_ws_proxy' },
        { reasoning: 'Running the check.', headers: { 'x-codex-turn-state': 'ts_proxy_turn' } },
      ),
      textTurn('Done: the check printed ws-proxy-ok.'),
    );

    const result = await codexExec('Run the check', { websockets: true });
    expect(result.code, `codex exec failed:\n${result.stderr.slice(-4000)}`).toBe(0);
    expect(result.stdout).toContain('Done: the check printed ws-proxy-ok.');

    // Upstream, over the backend's WebSocket with the proxy's login (the proxy's HTTP path would have used
    // SSE): the prewarm stayed in the proxy, the first turn went whole, the follow-up named that response
    // and sent only the call's output.
    const [upgrade] = harness.emulator.requestsTo('websocket');
    expect(upgrade?.headers.authorization).toBe(`Bearer ${harness.login.accessToken}`);
    const turns = harness.emulator.requestsTo('responses');
    expect(
      turns.map(turn => [turn.transport, turn.websocket?.generate, turn.websocket?.incremental]),
    ).toEqual([
      ['websocket', true, false],
      ['websocket', true, true],
    ]);
    const first = (turns[0]!.body as { input: Array<Record<string, unknown>> }).input;
    expect(first).toContainEqual(expect.objectContaining({ type: 'message', role: 'user' }));
    const followUp = (turns[1]!.body as { input: Array<Record<string, unknown>> }).input;
    expect(followUp).toEqual([
      expect.objectContaining({
        type: 'function_call_output',
        call_id: 'call_ws_proxy',
        output: expect.stringContaining('ws-proxy-ok'),
      }),
    ]);
    // The backend's turn state reached the CLI through the proxy, and came back to the backend on the
    // follow-up, in the message's client_metadata as the CLI sends it.
    expect(
      turns.map(turn => (turn.body as { client_metadata?: Record<string, string> }).client_metadata),
    ).toEqual([
      expect.not.objectContaining({ 'x-codex-turn-state': expect.anything() }),
      expect.objectContaining({ 'x-codex-turn-state': 'ts_proxy_turn' }),
    ]);
    expect(harness.emulator.counters.completedStreams).toBe(2);
  }, 180_000);

  it("completes a Responses Lite tool turn over the proxy's WebSocket, the Lite flag carried in each message", async () => {
    harness.emulator.enqueue(
      functionCallTurn(
        {
          name: 'exec_command',
          arguments: { cmd: 'echo ws-lite-ok' },
          callId: 'call_ws_lite',
          namespace: 'functions',
        },
        { reasoning: 'Running the check.' },
      ),
      textTurn('Done: the check printed ws-lite-ok.'),
    );

    const result = await codexExec('Run the check', { model: 'gpt-6.2-sol', websockets: true });
    expect(result.code, `codex exec failed:\n${result.stderr.slice(-4000)}`).toBe(0);
    expect(result.stdout).toContain('Done: the check printed ws-lite-ok.');

    const turns = harness.emulator.requestsTo('responses');
    expect(turns.map(turn => [turn.transport, turn.websocket?.incremental])).toEqual([
      ['websocket', false],
      ['websocket', true],
    ]);
    for (const turn of turns) {
      expect(turn.body).toMatchObject({
        model: 'gpt-6.2-sol',
        client_metadata: { ws_request_header_x_openai_internal_codex_responses_lite: 'true' },
      });
    }
    expect((turns[0]!.body as { input: Array<Record<string, unknown>> }).input[0]).toMatchObject({
      type: 'additional_tools',
    });
  }, 180_000);

  it('is refused with a wrong key and reaches nothing upstream', async () => {
    const result = await codexExec('Say hello', { proxyKey: 'not-the-proxy-key' });
    expect(result.code).not.toBe(0);
    expect(harness.emulator.counters.requests.responses).toBe(0);
  }, 180_000);
});
