import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { convertArrayToReadableStream, convertReadableStreamToArray } from '@ai-sdk/provider-utils/test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyStopSequences } from './apply-stop-sequences';

const finish: LanguageModelV4StreamPart = {
  type: 'finish',
  finishReason: { unified: 'stop', raw: 'completed' },
  usage: {
    inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 5, text: 5, reasoning: 0 },
  },
};

/** A text part split into the given deltas, after a reasoning part, with a tool call after it. */
function partsOf(deltas: string[]): LanguageModelV4StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'reasoning-start', id: 'rs:0' },
    { type: 'reasoning-delta', id: 'rs:0', delta: 'Thinking.' },
    { type: 'reasoning-end', id: 'rs:0' },
    { type: 'text-start', id: 'msg', providerMetadata: { codex: { itemId: 'msg' } } },
    ...deltas.map(delta => ({ type: 'text-delta' as const, id: 'msg', delta })),
    { type: 'text-end', id: 'msg', providerMetadata: { codex: { itemId: 'msg' } } },
    { type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: '{}' },
    finish,
  ];
}

async function run(deltas: string[], stops: string[]) {
  const parts = await convertReadableStreamToArray(
    convertArrayToReadableStream(partsOf(deltas)).pipeThrough(applyStopSequences(stops)),
  );
  const text = parts.flatMap(part => (part.type === 'text-delta' ? [part.delta] : [])).join('');
  return { parts, text, last: parts.at(-1) };
}

/** The text `text` splits into at the given cut positions. */
function split(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts)].sort((a, b) => a - b);
  return [0, ...points].map((start, index) => text.slice(start, points[index] ?? text.length));
}

describe('applyStopSequences', () => {
  it('ends the text before the stop sequence, ends the text part and finishes with reason stop', async () => {
    const { parts, text } = await run(
      ['Thought: look it up.', '\nObservation: 42', ' and more'],
      ['\nObservation:'],
    );

    expect(text).toBe('Thought: look it up.');
    expect(parts.slice(-2)).toEqual([
      { type: 'text-end', id: 'msg', providerMetadata: { codex: { itemId: 'msg' } } },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'stop_sequence' },
        usage: expect.objectContaining({ inputTokens: expect.objectContaining({ total: undefined }) }),
      },
    ]);
    // Nothing after the stop: no tool call, no second finish.
    expect(parts.filter(part => part.type === 'tool-call' || part.type === 'finish')).toHaveLength(1);
  });

  it('finds a stop sequence split across deltas and holds back only what could begin one', async () => {
    const held = await convertReadableStreamToArray(
      convertArrayToReadableStream(partsOf(['Answer: 4', '2 END', 'ING', ' rest'])).pipeThrough(
        applyStopSequences(['ENDING']),
      ),
    );
    expect(held.flatMap(part => (part.type === 'text-delta' ? [part.delta] : []))).toEqual([
      'Answer: 4',
      '2 ',
    ]);
    expect(held.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop' } });
  });

  it('gives the same text for a split at every position, and for one character per delta', async () => {
    const text = 'Thought: I need the weather.\nAction: weather\nObservation: sunny';
    const stops = ['\nObservation:', 'Final Answer:'];
    for (let position = 0; position <= text.length; position++) {
      expect((await run([text.slice(0, position), text.slice(position)], stops)).text).toBe(
        'Thought: I need the weather.\nAction: weather',
      );
    }
    expect((await run([...text], stops)).text).toBe('Thought: I need the weather.\nAction: weather');
  });

  it('stops at the earliest of several sequences, and passes a stream without one through whole', async () => {
    expect((await run(['a STOP b', ' END c'], ['END', 'STOP'])).text).toBe('a ');

    const untouched = await run(['Hello, ', 'ENwor', 'ld. EN'], ['END']);
    expect(untouched.text).toBe('Hello, ENworld. EN');
    expect(untouched.parts.filter(part => part.type !== 'text-delta')).toEqual(
      partsOf([]).filter(part => part.type !== 'text-delta'),
    );
    expect(untouched.last).toEqual(finish);
  });

  it('ends every part still open at the stop', async () => {
    const parts = await convertReadableStreamToArray(
      convertArrayToReadableStream<LanguageModelV4StreamPart>([
        { type: 'stream-start', warnings: [] },
        { type: 'reasoning-start', id: 'rs:1' },
        { type: 'text-start', id: 'other' },
        { type: 'text-delta', id: 'other', delta: 'a S' },
        { type: 'text-start', id: 'msg' },
        { type: 'text-delta', id: 'msg', delta: 'done. STOP' },
        { type: 'reasoning-delta', id: 'rs:1', delta: 'never seen' },
        finish,
      ]).pipeThrough(applyStopSequences(['STOP'])),
    );
    expect(
      parts.map(part => ('delta' in part ? `${part.type} ${part.id} ${part.delta}` : part.type)),
    ).toEqual([
      'stream-start',
      'reasoning-start',
      'text-start',
      'text-delta other a ',
      'text-start',
      'text-delta msg done. ',
      'reasoning-end',
      'text-delta other S',
      'text-end',
      'text-end',
      'finish',
    ]);
  });

  it('cancels the stream it reads from at a stop sequence', async () => {
    let cancelled = false;
    const source = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        for (const part of partsOf(['one STOP two']).slice(0, -3)) controller.enqueue(part);
      },
      cancel() {
        cancelled = true;
      },
    });
    const parts = await convertReadableStreamToArray(source.pipeThrough(applyStopSequences(['STOP'])));
    expect(parts.at(-1)).toMatchObject({ type: 'finish' });
    expect(cancelled).toBe(true);
  });

  it('gives the same parts whatever the deltas: property over every split of the text', async () => {
    const alphabet = fc.constantFrom('a', 'b', 'S', 'T', 'O', 'P', ' ', 'é', '\n');
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: alphabet, maxLength: 40 }),
        fc.array(fc.string({ unit: alphabet, minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat({ max: 40 }), { maxLength: 8 }),
        async (text, stops, cuts) => {
          const whole = await run([text], stops);
          const pieces = await run(
            split(
              text,
              cuts.map(cut => cut % (text.length + 1)),
            ),
            stops,
          );
          // What a reference search of the whole text gives.
          const indexes = stops.map(stop => text.indexOf(stop)).filter(index => index !== -1);
          const expected = indexes.length > 0 ? text.slice(0, Math.min(...indexes)) : text;
          expect(pieces.text).toBe(expected);
          expect(whole.text).toBe(expected);
          expect(pieces.last).toEqual(whole.last);
          expect(pieces.parts.filter(part => part.type !== 'text-delta')).toEqual(
            whole.parts.filter(part => part.type !== 'text-delta'),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
