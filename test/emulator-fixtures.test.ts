import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CodexEmulator,
  type EmulatorLogin,
  functionCallTurn,
  reasoningTurn,
  replayFixture,
  startCodexEmulator,
  textTurn,
  webSearchTurn,
} from '../src/testing';
import { postResponses, responsesBody } from './support/emulator-requests';
import { fixturePath, readFixture, recordedStreamFiles } from './support/fixtures';
import { parseSseJson } from './support/sse';

const chunkFiles = recordedStreamFiles();

type Event = Record<string, unknown> & { type: string };

let emulator: CodexEmulator;
let login: EmulatorLogin;
beforeAll(async () => {
  emulator = await startCodexEmulator();
  login = await emulator.login();
});
afterAll(async () => {
  await emulator.close();
});

function fixtureEvents(name: string): Event[] {
  return readFixture('openai-responses', name)
    .split('\n')
    .filter(line => line !== '')
    .map(line => JSON.parse(line));
}

/** Event types of one output item, from `output_item.added` to `output_item.done`, repeats collapsed. */
function itemLifecycle(events: Event[], outputIndex: number): string[] {
  const types = events.filter(e => e.output_index === outputIndex).map(e => e.type);
  return types.filter((type, i) => type !== types[i - 1]);
}

function itemOf(events: Event[], type: string, outputIndex: number): Record<string, unknown> {
  return events.find(e => e.type === type && e.output_index === outputIndex)!.item as Record<string, unknown>;
}

describe('replaying the recorded streams', () => {
  it('finds the recorded streams', () => {
    expect(chunkFiles.length).toBeGreaterThanOrEqual(9);
  });

  for (const name of chunkFiles) {
    it(`replays ${name} byte for byte`, async () => {
      const lines = readFixture('openai-responses', name).split('\n');
      const expected = Buffer.from(
        lines
          .filter(line => line.length > 0)
          .map(line => `data: ${line}\n\n`)
          .join(''),
      );
      emulator.enqueue(await replayFixture(fixturePath('openai-responses', name)));
      const response = await postResponses(emulator, login, responsesBody());
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const received = Buffer.from(await response.arrayBuffer());
      expect(received.equals(expected)).toBe(true);
    });
  }
});

describe('turn builders follow the recorded event sequences', () => {
  async function emulated(turn: Parameters<CodexEmulator['enqueue']>[0]): Promise<Event[]> {
    emulator.enqueue(turn);
    return parseSseJson(await (await postResponses(emulator, login, responsesBody())).text());
  }

  it('message items as in openai-phase.1', async () => {
    const recorded = fixtureEvents('openai-phase.1.chunks.txt');
    const ours = await emulated(textTurn('Got it, checking.', { phase: 'commentary' }));
    expect(itemLifecycle(ours, 0)).toEqual(itemLifecycle(recorded, 0));
    for (const type of ['response.output_item.added', 'response.output_item.done']) {
      expect(Object.keys(itemOf(ours, type, 0)).sort()).toEqual(
        Object.keys(itemOf(recorded, type, 0)).sort(),
      );
    }
    const part = (events: Event[]) =>
      Object.keys(events.find(e => e.type === 'response.content_part.added')!).sort();
    expect(part(ours)).toEqual(part(recorded));
  });

  it('reasoning and function-call items as in openai-reasoning-encrypted-content.1', async () => {
    const recorded = fixtureEvents('openai-reasoning-encrypted-content.1.chunks.txt');
    const firstResponse = recorded.slice(
      0,
      recorded.findIndex(e => e.type === 'response.completed'),
    );
    const ours = await emulated(
      functionCallTurn(
        { name: 'calculator', arguments: { a: 12, b: 7, op: 'add' } },
        { reasoning: 'Calculating step by step' },
      ),
    );
    for (const outputIndex of [0, 1]) {
      expect(itemLifecycle(ours, outputIndex)).toEqual(itemLifecycle(firstResponse, outputIndex));
      for (const type of ['response.output_item.added', 'response.output_item.done']) {
        expect(Object.keys(itemOf(ours, type, outputIndex)).sort()).toEqual(
          Object.keys(itemOf(firstResponse, type, outputIndex)).sort(),
        );
      }
    }
    const usageShape = (events: Event[]) => {
      const usage = (
        events.find(e => e.type === 'response.completed')!.response as { usage: Record<string, object> }
      ).usage;
      return Object.fromEntries(
        Object.entries(usage).map(([k, v]) => [k, typeof v === 'object' ? Object.keys(v) : typeof v]),
      );
    };
    expect(usageShape(ours)).toEqual(usageShape(recorded));
  });

  it('web search items as in openai-web-search-tool.1', async () => {
    const recorded = fixtureEvents('openai-web-search-tool.1.chunks.txt');
    const ours = await emulated(
      webSearchTurn({ query: 'tech news', text: 'News.', citations: [{ url: 'https://example.com' }] }),
    );
    expect(itemLifecycle(ours, 0)).toEqual(itemLifecycle(recorded, 1));
    for (const type of ['response.output_item.added', 'response.output_item.done']) {
      expect(Object.keys(itemOf(ours, type, 0)).sort()).toEqual(
        Object.keys(itemOf(recorded, type, 1)).sort(),
      );
    }
  });

  it('response.created and response.completed open and close every turn, with increasing sequence numbers', async () => {
    const ours = await emulated(reasoningTurn('Thinking', 'Done.'));
    expect(ours.slice(0, 2).map(e => e.type)).toEqual(['response.created', 'response.in_progress']);
    expect(ours.at(-1)?.type).toBe('response.completed');
    expect(ours.map(e => e.sequence_number)).toEqual(ours.map((_, i) => i));
  });
});
