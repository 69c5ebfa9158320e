/**
 * Property: any valid AI SDK prompt (system, user, assistant and tool messages in any mix: text, images,
 * PDFs, reasoning, tool calls with and without results, orphan results, every tool-output kind, custom tools)
 * converts to a request that the emulator, with the backend's validation rules on, accepts — sent over real
 * HTTP — and the request keeps every tool call paired with exactly one output, as the Codex CLI's own
 * request invariants demand.
 */
import type {
  LanguageModelV4FunctionTool,
  LanguageModelV4Message,
  LanguageModelV4Prompt,
  LanguageModelV4ProviderTool,
  LanguageModelV4ToolResultOutput,
} from '@ai-sdk/provider';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { createCodex } from '../src/codex-provider';
import type { CodexEmulator } from '../src/testing';
import { startCodexProvider } from './support/codex-provider-setup';

let emulator: CodexEmulator;
let codex: ReturnType<typeof createCodex>;

beforeAll(async () => {
  ({ emulator, codex } = await startCodexProvider());
});

afterAll(async () => {
  await emulator.close();
});

// ---- arbitraries ------------------------------------------------------------------------------------

const text = fc.string({ unit: 'binary', maxLength: 30 });
const bytes = fc.uint8Array({ minLength: 1, maxLength: 24 });
const toolName = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,15}$/);
const json = fc.jsonValue({ maxDepth: 3 });

const userPart = fc.oneof(
  { weight: 4, arbitrary: text.map(t => ({ type: 'text' as const, text: t })) },
  bytes.map(data => ({
    type: 'file' as const,
    mediaType: 'image/png',
    data: { type: 'data' as const, data },
  })),
  bytes.map(data => ({
    type: 'file' as const,
    mediaType: 'application/pdf',
    filename: 'doc.pdf',
    data: { type: 'data' as const, data },
  })),
  fc.webUrl().map(url => ({
    type: 'file' as const,
    mediaType: 'image/jpeg',
    data: { type: 'url' as const, url: new URL(url) },
  })),
  text.map(t => ({
    type: 'file' as const,
    mediaType: 'text/plain',
    data: { type: 'text' as const, text: t },
  })),
);

const toolOutput: fc.Arbitrary<LanguageModelV4ToolResultOutput> = fc.oneof(
  text.map(value => ({ type: 'text' as const, value })),
  json.map(value => ({ type: 'json' as const, value })),
  text.map(value => ({ type: 'error-text' as const, value })),
  json.map(value => ({ type: 'error-json' as const, value })),
  fc.option(text, { nil: undefined }).map(reason => ({ type: 'execution-denied' as const, reason })),
  fc
    .array(
      fc.oneof(
        text.map(t => ({ type: 'text' as const, text: t })),
        bytes.map(data => ({
          type: 'file' as const,
          mediaType: 'image/png',
          data: { type: 'data' as const, data },
        })),
      ),
      { maxLength: 3 },
    )
    .map(value => ({ type: 'content' as const, value })),
);

/** One assistant step: its parts (tool calls named, ids assigned later) and which calls get results. */
const step = fc.record({
  user: fc.option(fc.array(userPart, { maxLength: 3 }), { nil: undefined }),
  system: fc.option(text, { nil: undefined }),
  assistantText: fc.array(fc.tuple(text, fc.constantFrom(undefined, 'commentary', 'final_answer')), {
    maxLength: 2,
  }),
  reasoning: fc.array(
    fc.record({
      text,
      encrypted: fc.option(fc.base64String({ minLength: 4, maxLength: 40 }), { nil: undefined }),
    }),
    { maxLength: 2 },
  ),
  calls: fc.array(
    fc.record({
      tool: toolName,
      custom: fc.boolean(),
      input: json,
      answered: fc.boolean(),
      output: toolOutput,
    }),
    { maxLength: 3 },
  ),
  hostedCall: fc.boolean(),
  orphanResult: fc.option(toolOutput, { nil: undefined }),
});

interface Conversation {
  prompt: LanguageModelV4Prompt;
  tools: Array<LanguageModelV4FunctionTool | LanguageModelV4ProviderTool>;
  /** Tool calls in the prompt (not hosted), by id. */
  calls: Map<string, { name: string; input: unknown; custom: boolean }>;
}

const conversation: fc.Arbitrary<Conversation> = fc
  .record({
    leadingSystem: fc.array(text, { maxLength: 2 }),
    firstUser: fc.array(userPart, { minLength: 1, maxLength: 3 }),
    steps: fc.array(step, { maxLength: 4 }),
  })
  .map(({ leadingSystem, firstUser, steps }) => {
    const prompt: LanguageModelV4Message[] = leadingSystem.map(content => ({ role: 'system', content }));
    prompt.push({ role: 'user', content: firstUser });
    const calls: Conversation['calls'] = new Map();
    const functionTools = new Map<string, LanguageModelV4FunctionTool>();
    const customTools = new Map<string, LanguageModelV4ProviderTool>();

    steps.forEach((s, stepIndex) => {
      if (s.system !== undefined) prompt.push({ role: 'system', content: s.system });
      if (s.user !== undefined) prompt.push({ role: 'user', content: s.user });
      const content: Extract<LanguageModelV4Message, { role: 'assistant' }>['content'] = [];
      s.reasoning.forEach((r, index) => {
        content.push({
          type: 'reasoning',
          text: r.text,
          providerOptions: {
            codex: {
              itemId: `rs_${stepIndex}_${index}`,
              ...(r.encrypted !== undefined && { reasoningEncryptedContent: r.encrypted }),
            },
          },
        });
      });
      for (const [t, phase] of s.assistantText) {
        content.push({ type: 'text', text: t, ...(phase && { providerOptions: { codex: { phase } } }) });
      }
      const results: Extract<LanguageModelV4Message, { role: 'tool' }>['content'] = [];
      s.calls.forEach((call, index) => {
        const toolCallId = `call_${stepIndex}_${index}`;
        // One tool name is either a function or a custom tool for the whole conversation.
        const custom = customTools.has(call.tool) || (call.custom && !functionTools.has(call.tool));
        if (custom)
          customTools.set(call.tool, { type: 'provider', id: 'codex.custom', name: call.tool, args: {} });
        else
          functionTools.set(call.tool, {
            type: 'function',
            name: call.tool,
            inputSchema: { type: 'object' },
          });
        const input = custom ? JSON.stringify(call.input) : call.input;
        calls.set(toolCallId, { name: call.tool, input, custom });
        content.push({ type: 'tool-call', toolCallId, toolName: call.tool, input });
        if (call.answered)
          results.push({ type: 'tool-result', toolCallId, toolName: call.tool, output: call.output });
      });
      if (s.hostedCall) {
        content.push({
          type: 'tool-call',
          toolCallId: `ws_${stepIndex}`,
          toolName: 'web_search',
          input: {},
          providerExecuted: true,
        });
      }
      if (s.orphanResult !== undefined) {
        results.push({
          type: 'tool-result',
          toolCallId: `orphan_${stepIndex}`,
          toolName: 'gone',
          output: s.orphanResult,
        });
      }
      if (content.length > 0) prompt.push({ role: 'assistant', content });
      if (results.length > 0) prompt.push({ role: 'tool', content: results });
    });
    return { prompt, tools: [...functionTools.values(), ...customTools.values()], calls };
  });

// ---- invariants -------------------------------------------------------------------------------------

type Item = Record<string, unknown> & { type: string };

const isCall = (item: Item) => item.type === 'function_call' || item.type === 'custom_tool_call';
const isOutput = (item: Item) =>
  item.type === 'function_call_output' || item.type === 'custom_tool_call_output';

/** What the Codex CLI asserts for every request it sends (codex-rs validate_request_body_invariants). */
function checkPairing(input: Item[]) {
  const callPositions = new Map<string, number>();
  const outputPositions = new Map<string, number>();
  input.forEach((item, position) => {
    if (!isCall(item) && !isOutput(item)) return;
    const callId = item.call_id;
    expect(typeof callId === 'string' && callId.length > 0).toBe(true);
    const positions = isCall(item) ? callPositions : outputPositions;
    expect(positions.has(callId as string)).toBe(false);
    positions.set(callId as string, position);
  });
  expect([...callPositions.keys()].sort()).toEqual([...outputPositions.keys()].sort());
  for (const [callId, position] of callPositions) {
    const output = input[outputPositions.get(callId)!]!;
    expect(outputPositions.get(callId)!).toBeGreaterThan(position);
    expect(output.type).toBe(
      input[position]!.type === 'custom_tool_call' ? 'custom_tool_call_output' : 'function_call_output',
    );
  }
}

it('every valid prompt becomes a request the strict emulator accepts, with calls and outputs paired', async () => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(conversation, async ({ prompt, tools, calls }) => {
      runs += 1;
      const before = emulator.requestsTo('responses').length;
      const result = await codex('gpt-5.5').doGenerate({ prompt, ...(tools.length > 0 && { tools }) });
      expect(result.finishReason.unified).not.toBe('error');

      const requests = emulator.requestsTo('responses');
      expect(requests).toHaveLength(before + 1);
      const body = requests.at(-1)!.body as { input: Item[]; instructions?: string };
      const input = body.input;

      // Client ids on the items the client makes, as the Codex CLI; none on what the model made.
      for (const item of input) {
        const prefix = { message: 'msg_', function_call_output: 'fco_', custom_tool_call_output: 'ctco_' }[
          item.type as string
        ];
        if (prefix == null) expect(item.id).toBeUndefined();
        else expect(item.id).toMatch(new RegExp(`^${prefix}`));
        if (item.type === 'message') expect(['user', 'assistant', 'developer']).toContain(item.role);
      }
      checkPairing(input);

      // Every call of the prompt is sent, as itself; results with no call are not.
      const sentCalls = new Map(input.filter(isCall).map(item => [item.call_id as string, item]));
      expect([...sentCalls.keys()].sort()).toEqual([...calls.keys()].sort());
      for (const [id, call] of calls) {
        const sent = sentCalls.get(id)!;
        expect(sent).toMatchObject({
          type: call.custom ? 'custom_tool_call' : 'function_call',
          name: call.name,
        });
        if (call.custom) expect(sent.input).toBe(call.input);
        else
          expect(JSON.parse(sent.arguments as string)).toEqual(JSON.parse(JSON.stringify(call.input ?? {})));
      }

      // System messages are developer messages, in order, never the instructions; the user's texts arrive in order.
      const systemTexts = prompt.flatMap(message => (message.role === 'system' ? [message.content] : []));
      const developerTexts = input.flatMap(item =>
        item.type === 'message' && item.role === 'developer'
          ? (item.content as Item[]).map(part => part.text as string)
          : [],
      );
      expect(developerTexts).toEqual(systemTexts);
      expect(body.instructions).toBeUndefined();
      // Text parts and inline text files both become input_text, in the order the user wrote them.
      const promptTexts = prompt.flatMap(message =>
        message.role === 'user'
          ? message.content.flatMap(part =>
              part.type === 'text' ? [part.text] : part.data.type === 'text' ? [part.data.text] : [],
            )
          : [],
      );
      const sentTexts = input.flatMap(item =>
        item.type === 'message' && item.role === 'user'
          ? (item.content as Item[]).flatMap(part =>
              part.type === 'input_text' ? [part.text as string] : [],
            )
          : [],
      );
      expect(sentTexts).toEqual(promptTexts);
    }),
    { numRuns: 60 },
  );
  expect(runs).toBe(60);
  expect(emulator.counters.badRequests).toBe(0);
}, 120_000);
