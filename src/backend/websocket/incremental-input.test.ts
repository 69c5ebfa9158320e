import { describe, expect, it } from 'vitest';
import { incrementalInput, type PreviousResponse, serializeFields } from './incremental-input';

type Json = Record<string, unknown>;

const user = (text: string): Json => ({
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text }],
});
const call: Json = { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{"city":"Paris"}' };
const reasoning: Json = { type: 'reasoning', summary: [], encrypted_content: 'enc' };
const callOutput: Json = { type: 'function_call_output', call_id: 'c1', output: 'sunny' };
const body = (input: Json[]): Json => ({ model: 'gpt-5.5', tools: [], input });

/** The previous request (`input`) and what the backend answered (`output`, with its own ids and statuses). */
function previous(input: Json[], output: Json[]): PreviousResponse {
  return {
    responseId: 'resp_1',
    fields: serializeFields(body(input)),
    input: input.map(item => JSON.stringify(item)),
    output,
  };
}

const continueWith = (
  prev: PreviousResponse | undefined,
  input: Json[],
  fields = serializeFields(body(input)),
) =>
  incrementalInput(
    prev,
    fields,
    input,
    input.map(item => JSON.stringify(item)),
  );

const backendOutput = [
  { ...reasoning, id: 'rs_1' },
  { ...call, id: 'fc_1', status: 'completed' },
];

describe('incrementalInput', () => {
  it('sends only what follows the previous input and the replayed output', () => {
    expect(
      continueWith(previous([user('hi')], backendOutput), [user('hi'), reasoning, call, callOutput]),
    ).toEqual([callOutput]);
  });

  it('matches an assistant message by its text', () => {
    const answer = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello' }] };
    const prev = previous([user('hi')], [{ ...answer, id: 'msg_1', status: 'completed' }]);
    expect(continueWith(prev, [user('hi'), answer, user('again')])).toEqual([user('again')]);
    const edited = { ...answer, content: [{ type: 'output_text', text: 'Edited' }] };
    expect(continueWith(prev, [user('hi'), edited, user('again')])).toBeUndefined();
  });

  it('continues when only the client metadata changed', () => {
    const prev = previous([user('hi')], backendOutput);
    const input = [user('hi'), reasoning, call, callOutput];
    expect(
      continueWith(prev, input, serializeFields({ ...body(input), client_metadata: { started_ms: '2' } })),
    ).toEqual([callOutput]);
  });

  it('sends everything when the history, the fields or the replay differ', () => {
    const prev = previous([user('hi')], backendOutput);
    // An earlier message changed.
    expect(continueWith(prev, [user('hello'), reasoning, call, callOutput])).toBeUndefined();
    // The tools changed.
    expect(
      continueWith(
        prev,
        [user('hi'), reasoning, call, callOutput],
        serializeFields({ model: 'gpt-5.5', tools: [1] }),
      ),
    ).toBeUndefined();
    // The call was left out of the new prompt.
    expect(continueWith(prev, [user('hi'), reasoning, callOutput])).toBeUndefined();
    // Nothing new.
    expect(continueWith(prev, [user('hi'), reasoning, call])).toBeUndefined();
    // No previous response on this connection.
    expect(continueWith(undefined, [user('hi')])).toBeUndefined();
  });
});
