/**
 * Property: any event sequence the Responses protocol allows — items of every kind, items that arrive only
 * as `output_item.done`, deltas without `output_index`, items interleaved by `output_index`, side-channel and
 * unknown events anywhere, and every ending (completed, incomplete, failed, an error event, or the connection
 * closing early) — maps to a well-formed part sequence: `stream-start` first, exactly one `finish` last, every
 * text/reasoning/tool-input start ended exactly once with no delta outside it, and a finish reason that
 * matches the ending. Checked on the mapper directly (many runs) and end to end through the emulator.
 */
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { createToolNameMapping } from '@ai-sdk/provider-utils';
import { convertReadableStreamToArray } from '@ai-sdk/provider-utils/test';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodexEvent } from '../src/backend/event-schemas';
import type { createCodex } from '../src/codex-provider';
import { mapEventStream } from '../src/responses/map-stream';
import {
  type CodexEmulator,
  customToolCallItem,
  expandTurn,
  functionCallItem,
  messageItem,
  type OutputItemSpec,
  reasoningItem,
  type TurnOutcome,
  turn,
  webSearchCallItem,
} from '../src/testing';
import { startCodexProvider } from './support/codex-provider-setup';
import { eventReader } from './support/event-reader';

type Json = Record<string, unknown> & { type: string };

// ---- arbitraries ------------------------------------------------------------------------------------

const words = fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), {
  minLength: 1,
  maxLength: 4,
});
const chunks = words;
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);

const itemSpec: fc.Arbitrary<OutputItemSpec> = fc.oneof(
  fc
    .record({ chunks, phase: fc.constantFrom(undefined, 'commentary', 'final_answer') })
    .map(({ chunks, phase }) => messageItem(chunks.join(''), { chunks, ...(phase && { phase }) })),
  fc
    .record({ summary: fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }), encrypted: fc.boolean() })
    .map(({ summary, encrypted }) => reasoningItem(summary, encrypted ? {} : { encryptedContent: null })),
  fc.record({ name, args: fc.jsonValue({ maxDepth: 2 }) }).map(({ name, args }) => {
    const text = JSON.stringify({ value: args });
    return functionCallItem(name, text, { chunks: text.match(/.{1,5}/gs) ?? [text] });
  }),
  fc
    .record({ name, input: fc.string({ minLength: 1, maxLength: 20 }) })
    .map(({ name, input }) => customToolCallItem(name, input)),
  fc
    .string({ minLength: 1, maxLength: 10 })
    .map(query => webSearchCallItem(query, { sources: ['https://example.com/'] })),
);

type Ending =
  | { kind: 'completed' }
  | { kind: 'incomplete'; reason: 'max_output_tokens' | 'content_filter' }
  | { kind: 'failed'; code: string }
  | { kind: 'error-event'; at: number }
  | { kind: 'cut'; at: number };

const ending: fc.Arbitrary<Ending> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'completed' as const }) },
  fc
    .constantFrom('max_output_tokens' as const, 'content_filter' as const)
    .map(reason => ({ kind: 'incomplete' as const, reason })),
  fc
    .constantFrom('server_error', 'rate_limit_exceeded', 'context_length_exceeded')
    .map(code => ({ kind: 'failed' as const, code })),
  fc.nat().map(at => ({ kind: 'error-event' as const, at })),
  fc.nat().map(at => ({ kind: 'cut' as const, at })),
);

/** How the canonical sequence is varied within what the protocol allows. */
const variation = fc.record({
  /** Items (by position) that arrive only as `output_item.done`, without `added` and deltas. */
  doneOnly: fc.array(fc.boolean(), { maxLength: 6 }),
  /** Strip `output_index` from delta events (the Codex backend sends some without it). */
  noOutputIndex: fc.boolean(),
  /** Interleave the events of different items (each item's own order kept), as output_index allows. */
  interleave: fc.option(fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), { nil: undefined }),
  /** Side-channel and unknown events inserted at these positions. */
  extras: fc.array(
    fc.tuple(
      fc.nat(),
      fc.constantFrom<Json>(
        { type: 'codex.rate_limits', rate_limits: { allowed: true } },
        { type: 'response.metadata', metadata: {} },
        { type: 'response.future_event', payload: 1 },
        { type: 'keepalive' },
      ),
    ),
    { maxLength: 3 },
  ),
});

interface Scenario {
  events: Json[];
  ending: Ending;
  hasToolCall: boolean;
}

const scenario: fc.Arbitrary<Scenario> = fc
  .record({ items: fc.array(itemSpec, { maxLength: 4 }), ending, variation })
  .map(({ items, ending, variation }) => {
    const outcome: TurnOutcome =
      ending.kind === 'incomplete'
        ? { status: 'incomplete', reason: ending.reason }
        : ending.kind === 'failed'
          ? { status: 'failed', code: ending.code, message: `failed: ${ending.code}` }
          : { status: 'completed' };
    const canonical = expandTurn(turn(items, { outcome }), {
      request: { model: 'gpt-5.5' },
      now: 1_700_000_000,
    }) as Json[];
    const head = canonical.slice(0, 2);
    const tail = canonical.slice(-1);
    // The events of each item, in order, keyed by output_index.
    const perItem = new Map<number, Json[]>();
    for (const event of canonical.slice(2, -1)) {
      const index = event.output_index as number;
      if (!perItem.has(index)) perItem.set(index, []);
      perItem.get(index)!.push(event);
    }
    const itemEvents = [...perItem.entries()].map(([index, events]) =>
      variation.doneOnly[index] ? events.filter(event => event.type === 'response.output_item.done') : events,
    );
    let body: Json[];
    if (variation.interleave) {
      body = [];
      const queues = itemEvents.map(events => [...events]);
      let pick = 0;
      while (queues.some(queue => queue.length > 0)) {
        const open = queues.filter(queue => queue.length > 0);
        const choice = open[(variation.interleave[pick++ % variation.interleave.length] ?? 0) % open.length]!;
        body.push(choice.shift()!);
      }
    } else {
      body = itemEvents.flat();
    }
    if (variation.noOutputIndex) {
      body = body.map(event => {
        if (!event.type.endsWith('.delta')) return event;
        const { output_index: _, ...rest } = event;
        return rest as Json;
      });
    }
    let events = [...head, ...body, ...tail];
    for (const [position, extra] of variation.extras) events.splice(1 + (position % events.length), 0, extra);
    // Where the terminal event (completed, incomplete, failed) sits; extras may follow it.
    const terminal = events.indexOf(tail[0]!);
    if (ending.kind === 'error-event') {
      // An error event anywhere before the end, after which the backend closes the stream.
      const at = 1 + (ending.at % terminal);
      events = [...events.slice(0, at), { type: 'error', code: 'server_error', message: 'boom' }];
    }
    // The connection closes anywhere before the terminal event.
    if (ending.kind === 'cut') events = events.slice(0, 1 + (ending.at % terminal));
    const hasToolCall = events.some(
      event =>
        event.type === 'response.output_item.done' &&
        ['function_call', 'custom_tool_call'].includes((event.item as Json).type),
    );
    return { events, ending, hasToolCall };
  });

// ---- the well-formedness check ----------------------------------------------------------------------

function checkWellFormed(parts: LanguageModelV4StreamPart[], { ending, hasToolCall }: Scenario) {
  const kinds = parts.filter(part => part.type !== 'raw');
  expect(kinds[0]?.type).toBe('stream-start');
  const finishes = kinds.filter(part => part.type === 'finish');
  expect(finishes).toHaveLength(1);
  expect(kinds.at(-1)?.type).toBe('finish');
  expect(kinds.filter(part => part.type === 'response-metadata').length).toBeLessThanOrEqual(1);

  // Each block id: started once, deltas only while open, ended once.
  const state = new Map<string, 'open' | 'ended'>();
  const key = (kind: string, id: string) => `${kind}:${id}`;
  const toolCalls = new Set<string>();
  for (const part of kinds) {
    const [kind, phase] = part.type.split('-') as [string, string];
    if (['text', 'reasoning'].includes(kind) || part.type.startsWith('tool-input')) {
      const block = part.type.startsWith('tool-input') ? 'tool-input' : kind;
      const step = part.type.startsWith('tool-input') ? part.type.slice('tool-input-'.length) : phase;
      const id = key(block, (part as { id: string }).id);
      if (step === 'start') {
        expect(state.has(id)).toBe(false);
        state.set(id, 'open');
      } else if (step === 'delta') {
        expect(state.get(id)).toBe('open');
      } else if (step === 'end') {
        expect(state.get(id)).toBe('open');
        state.set(id, 'ended');
      }
    }
    if (part.type === 'tool-call' && part.providerExecuted !== true) {
      expect(toolCalls.has(part.toolCallId)).toBe(false);
      toolCalls.add(part.toolCallId);
      expect(state.get(key('tool-input', part.toolCallId))).toBe('ended');
    }
  }
  for (const [id, status] of state) expect(`${id} ${status}`).toBe(`${id} ended`);

  const finish = finishes[0] as Extract<LanguageModelV4StreamPart, { type: 'finish' }>;
  const errors = kinds.filter(part => part.type === 'error');
  switch (ending.kind) {
    case 'completed':
      expect(errors).toHaveLength(0);
      expect(finish.finishReason.unified).toBe(hasToolCall ? 'tool-calls' : 'stop');
      break;
    case 'incomplete':
      expect(errors).toHaveLength(0);
      expect(finish.finishReason.unified).toBe(
        ending.reason === 'max_output_tokens' ? 'length' : 'content-filter',
      );
      break;
    case 'failed':
    case 'error-event':
      expect(errors).toHaveLength(1);
      expect(finish.finishReason.unified).toBe('error');
      break;
    case 'cut':
      expect(errors).toHaveLength(0);
      expect(finish.finishReason.unified).toBe('interrupted');
      break;
  }
}

/** Maps the events as the SSE handler gives them. */
async function mapEvents(events: Json[]): Promise<LanguageModelV4StreamPart[]> {
  let id = 0;
  return convertReadableStreamToArray(
    mapEventStream(eventReader(events as CodexEvent[]), {
      warnings: [],
      includeRawChunks: false,
      toolNameMapping: createToolNameMapping({
        tools: [],
        providerToolNames: { 'codex.web_search': 'web_search' },
      }),
      generateId: () => `gen-${id++}`,
    }),
  );
}

describe('event orders → part sequences', () => {
  it('the mapper turns every allowed event order into a well-formed part sequence', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async s => {
        checkWellFormed(await mapEvents(s.events), s);
      }),
      { numRuns: 400 },
    );
  });

  describe('end to end through the emulator', () => {
    let emulator: CodexEmulator;
    let codex: ReturnType<typeof createCodex>;
    beforeAll(async () => {
      // Over HTTP, where the end of the body ends an answer that lacks its final event; on a WebSocket such an
      // answer is a stall, which the idle timeout ends (test/websocket-transport.test.ts).
      ({ emulator, codex } = await startCodexProvider({ provider: { transport: 'sse' } }));
    });
    afterAll(async () => {
      await emulator.close();
    });

    it('doStream over HTTP gives the same guarantees (errors before any output are thrown instead)', async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async s => {
          emulator.enqueue({ type: 'events', events: s.events });
          const result = await Promise.resolve(
            codex('gpt-5.5').doStream({
              prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
            }),
          ).then(
            value => ({ value }),
            (error: unknown) => ({ error }),
          );
          if ('error' in result) {
            // Only a failure before any output may be thrown, as an APICallError ai can retry or report.
            expect(['failed', 'error-event']).toContain(s.ending.kind);
            expect((result.error as { name?: string }).name).toBe('AI_APICallError');
            return;
          }
          checkWellFormed(await convertReadableStreamToArray(result.value.stream), s);
        }),
        { numRuns: 40 },
      );
    }, 60_000);
  });
});
