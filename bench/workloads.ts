import {
  expandTurn,
  functionCallItem,
  messageItem,
  type ScriptedTurn,
  sseChunksFromLines,
  sseFrame,
  turn,
} from '../src/testing';
import { readFixture, recordedStreamFiles } from '../test/support/fixtures';

/** One benchmark input: the SSE body of one or more responses, each as the chunks a socket delivers. */
export interface Workload {
  name: string;
  /** Each response as its byte chunks, one SSE event per chunk (as a live stream arrives, token by token). */
  responses: Uint8Array[][];
  /** SSE events in all responses. */
  events: number;
}

const encoder = new TextEncoder();

/** The events of a scripted turn as the emulator sends them (`event:` + `data:` frames). */
export function turnFrames(scripted: ScriptedTurn): string[] {
  return expandTurn(scripted, { request: { model: 'gpt-5.5' }, now: 1_760_000_000 }).map(sseFrame);
}

function workload(name: string, responses: string[][]): Workload {
  return {
    name,
    responses: responses.map(frames => frames.map(frame => encoder.encode(frame))),
    events: responses.reduce((sum, frames) => sum + frames.length, 0),
  };
}

/** A long answer: one message streamed as `deltas` text deltas. */
export function longAnswer(deltas = 20_000): Workload {
  const chunks = Array.from({ length: deltas }, (_, i) => (i === 0 ? 'Token' : ` token${i}`));
  return workload(`long answer (${deltas.toLocaleString('en-US')} text deltas)`, [
    turnFrames(turn([messageItem(chunks.join(''), { chunks })])),
  ]);
}

/** A turn with a reasoning summary and `calls` parallel function calls, arguments streamed in 8-character deltas. */
export function reasoningAndToolCalls(calls = 50): Workload {
  const summary = [
    '**Planning the lookups**\n\nThe user asked about the weather in many cities; call the tool for each one.',
    '**Checking units**\n\nUse celsius unless the city is in the United States.',
  ];
  const items = Array.from({ length: calls }, (_, i) =>
    functionCallItem('get_weather', {
      city: `City number ${i}`,
      unit: i % 3 === 0 ? 'fahrenheit' : 'celsius',
    }),
  );
  return workload(`reasoning + ${calls} parallel tool calls`, [
    turnFrames(turn(items, { reasoning: summary })),
  ]);
}

/**
 * Each recorded stream (test/fixtures/openai-responses) as one workload; files holding several responses are
 * split at every `response.created` and run back to back.
 */
export function fixtureWorkloads(): Workload[] {
  return recordedStreamFiles().map(file => {
    const responses: string[][] = [];
    for (const line of readFixture('openai-responses', file).split('\n')) {
      if (line.trim().length === 0) continue;
      if (responses.length === 0 || line.includes('"type":"response.created"')) responses.push([]);
      responses.at(-1)!.push(line);
    }
    return workload(
      `fixture ${file.replace('.chunks.txt', '')}`,
      responses.map(lines => sseChunksFromLines(lines.join('\n'))),
    );
  });
}
