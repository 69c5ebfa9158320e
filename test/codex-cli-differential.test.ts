import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateText, jsonSchema, tool } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCodex } from '../src/codex-provider';
import {
  type CodexEmulator,
  type EmulatorLogin,
  functionCallTurn,
  type RecordedRequest,
  startCodexEmulator,
  textTurn,
} from '../src/testing';
import { CODEX_CLI_VERSION, customProviderArgs, runCodex, useCodexCliDirs } from './support/codex-cli';

type Json = Record<string, unknown>;

// Headers only the CLI sends, for its own bookkeeping (thread and window ids, turn telemetry), and
// headers of the HTTP stack rather than of the protocol.
const notProtocolHeaders = new Set([
  'thread-id',
  'x-client-request-id',
  'x-codex-window-id',
  'x-codex-turn-metadata',
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'accept-language',
  'sec-fetch-mode',
]);

/**
 * The differences this provider keeps on purpose, per model, each with its reason. Any other difference
 * between what the real CLI and this provider send fails the test, and so does a listed one that is gone.
 */
const clientMetadata = {
  'top-level key only the CLI sends: client_metadata':
    "The CLI's telemetry (installation id, turn metadata); it changes nothing in the answer.",
};
const expectedDifferences: Record<string, Record<string, string>> = {
  'gpt-6.2-sol': {
    ...clientMetadata,
    'namespace only the CLI declares: collaboration':
      "The CLI's own sub-agent tools; a caller's tools all live in the `functions` namespace.",
  },
  'gpt-5.5': clientMetadata,
};

/** What the comparison looks at in one `POST /responses`. */
function describeRequest(request: RecordedRequest) {
  const body = request.body as Json;
  const input = (body.input ?? []) as Json[];
  // Runs of the same type and role count once: the CLI sends several developer messages (base
  // instructions, skills, agent role) and two user messages (environment context, the prompt).
  const itemKinds: string[] = [];
  for (const item of input) {
    const kind = `${String(item.type)}${item.role != null ? `/${String(item.role)}` : ''}`;
    if (itemKinds.at(-1) !== kind) itemKinds.push(kind);
  }
  const additionalTools = input.find(item => item.type === 'additional_tools');
  const namespaces = new Map<string, Json>();
  for (const entry of (additionalTools?.tools ?? []) as Json[]) {
    if (entry.type !== 'namespace') continue;
    const tools = (entry.tools ?? []) as Json[];
    namespaces.set(String(entry.name), {
      keys: Object.keys(entry).sort(),
      description: typeof entry.description,
      toolTypes: [...new Set(tools.map(tool => tool.type))].filter(type => type === 'function').sort(),
      functionKeys: [
        ...new Set(tools.filter(tool => tool.type === 'function').flatMap(tool => Object.keys(tool))),
      ].sort(),
    });
  }
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => !notProtocolHeaders.has(name))
      .map(([name, value]) =>
        // Values that differ by nature (credentials are the same login; ids and agents are each client's).
        ['session-id', 'user-agent', 'originator'].includes(name) ? [name, typeof value] : [name, value],
      ),
  );
  return {
    keys: Object.keys(body),
    itemKinds,
    hasAdditionalTools: additionalTools != null,
    additionalToolsKeys: additionalTools ? Object.keys(additionalTools).sort() : [],
    namespaces,
    headers,
  };
}

/** Every difference between the CLI's request and this provider's, as a sentence. */
function differences(cli: RecordedRequest, ours: RecordedRequest): string[] {
  const a = describeRequest(cli);
  const b = describeRequest(ours);
  const found: string[] = [];
  for (const key of a.keys) if (!b.keys.includes(key)) found.push(`top-level key only the CLI sends: ${key}`);
  for (const key of b.keys) if (!a.keys.includes(key)) found.push(`top-level key only we send: ${key}`);
  const common = a.keys.filter(key => b.keys.includes(key));
  if (common.join() !== b.keys.filter(key => a.keys.includes(key)).join())
    found.push(`top-level key order: ${a.keys.join()} vs ${b.keys.join()}`);
  if (a.itemKinds.join() !== b.itemKinds.join())
    found.push(`input item kinds: ${a.itemKinds.join()} vs ${b.itemKinds.join()}`);
  if (a.hasAdditionalTools !== b.hasAdditionalTools) found.push('additional_tools item on one side only');
  if (a.additionalToolsKeys.join() !== b.additionalToolsKeys.join())
    found.push(`additional_tools keys: ${a.additionalToolsKeys.join()} vs ${b.additionalToolsKeys.join()}`);
  for (const name of a.namespaces.keys())
    if (!b.namespaces.has(name)) found.push(`namespace only the CLI declares: ${name}`);
  for (const [name, shape] of b.namespaces) {
    const theirs = a.namespaces.get(name);
    if (theirs == null) found.push(`namespace only we declare: ${name}`);
    else if (JSON.stringify(theirs) !== JSON.stringify(shape))
      found.push(`namespace ${name}: ${JSON.stringify(theirs)} vs ${JSON.stringify(shape)}`);
  }
  for (const name of new Set([...Object.keys(a.headers), ...Object.keys(b.headers)])) {
    if (a.headers[name] !== b.headers[name])
      found.push(`header ${name}: ${String(a.headers[name])} vs ${String(b.headers[name])}`);
  }
  return found;
}

// The official client is the reference for the request each model gets: for the Responses Lite model and
// the classic one, this provider's first turn must look like the CLI's, but for the differences listed above.
describe(`requests of this provider and of the real Codex CLI ${CODEX_CLI_VERSION}, side by side`, () => {
  const cli = useCodexCliDirs();
  let emulator: CodexEmulator;
  let login: EmulatorLogin;

  beforeEach(async () => {
    emulator = await startCodexEmulator();
    login = await emulator.login();
    await writeFile(join(cli.codexHome, 'auth.json'), JSON.stringify(emulator.authJson(login)), {
      mode: 0o600,
    });
  });

  afterEach(async () => {
    await emulator.close();
  });

  async function cliFirstTurn(model: string): Promise<RecordedRequest> {
    emulator.enqueue(textTurn('Done.'));
    const result = await runCodex(
      cli.bin,
      [
        'exec',
        '--skip-git-repo-check',
        ...customProviderArgs({ baseURL: emulator.baseURL, chatgptBaseURL: emulator.chatgptBaseURL }),
        '-c',
        'developer_instructions="Answer in one short sentence."',
        '-m',
        model,
        'What is the weather in Paris?',
      ],
      { codexHome: cli.codexHome, cwd: cli.workDir },
    );
    expect(result.code, `codex exec failed:\n${result.stderr.slice(-4000)}`).toBe(0);
    const [request] = emulator.requestsTo('responses');
    emulator.reset();
    return request!;
  }

  async function providerFirstTurn(model: string): Promise<RecordedRequest> {
    emulator.enqueue(textTurn('Done.'));
    const codex = createCodex({
      baseURL: emulator.baseURL,
      auth: { accessToken: login.accessToken, accountId: login.accountId },
      // The CLI's custom provider speaks SSE here (no supports_websockets): the two are compared on SSE.
      transport: 'sse',
    });
    const city = jsonSchema<{ city: string }>({
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    });
    await generateText({
      model: codex(model),
      system: 'Answer in one short sentence.',
      prompt: 'What is the weather in Paris?',
      tools: {
        weather: tool({ description: 'The weather in a city', inputSchema: city }),
        time: tool({ description: 'The local time in a city', inputSchema: city }),
      },
    });
    const [request] = emulator.requestsTo('responses');
    emulator.reset();
    return request!;
  }

  for (const model of ['gpt-6.2-sol', 'gpt-5.5']) {
    it(`sends ${model} a first turn shaped as the CLI's`, async () => {
      const ours = await providerFirstTurn(model);
      const theirs = await cliFirstTurn(model);

      expect(differences(theirs, ours).sort()).toEqual(Object.keys(expectedDifferences[model]!).sort());

      // The comparison has something to compare: the shape each model gets.
      const lite = model === 'gpt-6.2-sol';
      expect(describeRequest(ours).hasAdditionalTools).toBe(lite);
      expect(ours.headers['x-openai-internal-codex-responses-lite']).toBe(lite ? 'true' : undefined);
      expect(describeRequest(ours).itemKinds).toEqual([
        ...(lite ? ['additional_tools/developer'] : []),
        'message/developer',
        'message/user',
      ]);
    }, 180_000);
  }

  it('fails on a difference that is not listed', async () => {
    const ours = await providerFirstTurn('gpt-6.2-sol');
    const theirs = await cliFirstTurn('gpt-6.2-sol');
    const withoutLiteHeader = { ...ours, headers: { ...ours.headers } };
    delete withoutLiteHeader.headers['x-openai-internal-codex-responses-lite'];
    expect(differences(theirs, withoutLiteHeader)).toContain(
      'header x-openai-internal-codex-responses-lite: true vs undefined',
    );
  }, 180_000);
});

describe(`the real Codex CLI ${CODEX_CLI_VERSION} completes a Responses Lite tool turn against the emulator`, () => {
  const cli = useCodexCliDirs();

  it('with -m gpt-6.2-sol: a namespaced function call, its output, a final answer', async () => {
    await using emulator = await startCodexEmulator();
    const login = await emulator.login();
    await writeFile(join(cli.codexHome, 'auth.json'), JSON.stringify(emulator.authJson(login)), {
      mode: 0o600,
    });
    emulator.enqueue(
      // A tool the CLI declares in its `collaboration` namespace for the Lite models.
      functionCallTurn({
        name: 'list_agents',
        namespace: 'collaboration',
        arguments: {},
        callId: 'call_agents',
      }),
      textTurn('Only me here.'),
    );

    const result = await runCodex(
      cli.bin,
      [
        'exec',
        '--skip-git-repo-check',
        ...customProviderArgs({ baseURL: emulator.baseURL, chatgptBaseURL: emulator.chatgptBaseURL }),
        '-m',
        'gpt-6.2-sol',
        'Which agents are running?',
      ],
      { codexHome: cli.codexHome, cwd: cli.workDir },
    );
    expect(result.code, `codex exec failed:\n${result.stderr.slice(-4000)}`).toBe(0);
    expect(result.stdout).toContain('Only me here.');

    const turns = emulator.requestsTo('responses');
    expect(turns).toHaveLength(2);
    for (const turn of turns) {
      expect(turn.headers['x-openai-internal-codex-responses-lite']).toBe('true');
      expect((turn.body as { input: Json[] }).input[0]).toMatchObject({ type: 'additional_tools' });
    }
    // The call goes back in its namespace, and its output as the CLI sends outputs.
    const followUp = (turns[1]!.body as { input: Json[] }).input;
    expect(followUp).toContainEqual(
      expect.objectContaining({
        type: 'function_call',
        call_id: 'call_agents',
        name: 'list_agents',
        namespace: 'collaboration',
      }),
    );
    expect(followUp).toContainEqual(
      expect.objectContaining({
        type: 'function_call_output',
        id: expect.stringMatching(/^fco_/),
        call_id: 'call_agents',
        // The CLI ran the tool (an unknown one is answered "unsupported call: …").
        output: expect.stringContaining('"agent_name":"/root"'),
      }),
    );
    expect(emulator.counters.badRequests).toBe(0);
  }, 180_000);
});
