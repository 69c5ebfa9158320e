import { convertArrayToReadableStream } from '@ai-sdk/provider-utils/test';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../test/support/fixtures';
import { ProxyError } from '../proxy-error';
import { foldResponseEvents, type ResponsesStreamEvent } from './fold-response-events';
import { parseResponsesEvents } from './parse-responses-events';

const fromSse = (name: string) =>
  parseResponsesEvents(convertArrayToReadableStream([new TextEncoder().encode(readFixture('codex', name))]));

const fromEvents = (events: ResponsesStreamEvent[]) => convertArrayToReadableStream(events);

describe('foldResponseEvents', () => {
  it('takes the items from output_item.done when response.completed lists none (fixture)', async () => {
    const response = await foldResponseEvents(fromSse('constructed_function_call_turn.sse'));
    expect(response.id).toBe('resp_2');
    expect(response.output).toEqual([
      {
        type: 'function_call',
        id: 'fc_1',
        call_id: 'call_1',
        name: 'exec_command',
        arguments: '{"cmd":"ls"}',
      },
      {
        type: 'custom_tool_call',
        call_id: 'call_2',
        name: 'apply_patch',
        input: '*** Begin Patch\n*** End Patch\n',
      },
    ]);
  });

  it('keeps the reasoning with its encrypted content and the usage (fixture)', async () => {
    const response = await foldResponseEvents(fromSse('constructed_text_turn.sse'));
    expect(response.output).toMatchObject([
      { type: 'reasoning', id: 'rs_1', encrypted_content: 'gAAAA...opaque...' },
      { type: 'message', id: 'msg_1', content: [{ type: 'output_text', text: 'Hello world' }] },
    ]);
    expect(response.usage).toMatchObject({ input_tokens: 1200, output_tokens: 42 });
  });

  it('rejects a response.failed with the status OpenAI gives the same error (fixture)', async () => {
    const error = await foldResponseEvents(fromSse('response_failed_context_length_exceeded.sse')).catch(
      e => e,
    );
    expect(error).toBeInstanceOf(ProxyError);
    expect(error).toMatchObject({ status: 400, code: 'context_length_exceeded' });
    expect(error.message).toMatch(/context window/);
  });

  it('prefers the output of response.completed when it has one, ordered by output_index otherwise', async () => {
    const message = { type: 'message', id: 'm', content: [] };
    const completed = await foldResponseEvents(
      fromEvents([
        { type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', id: 'r' } },
        { type: 'response.completed', response: { id: 'resp', status: 'completed', output: [message] } },
      ]),
    );
    expect(completed.output).toEqual([message]);

    const incomplete = await foldResponseEvents(
      fromEvents([
        { type: 'response.output_item.done', output_index: 1, item: { type: 'message', id: 'second' } },
        { type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', id: 'first' } },
        { type: 'response.incomplete', response: { id: 'resp', status: 'incomplete', output: [] } },
      ]),
    );
    expect(incomplete).toMatchObject({ status: 'incomplete', output: [{ id: 'first' }, { id: 'second' }] });
  });

  it('maps error codes to statuses and reports a stream cut short as a 502', async () => {
    const error = (events: ResponsesStreamEvent[]) => foldResponseEvents(fromEvents(events)).catch(e => e);
    expect(
      await error([
        { type: 'response.failed', response: { error: { code: 'rate_limit_exceeded', message: 'slow' } } },
      ]),
    ).toMatchObject({ status: 429, code: 'rate_limit_exceeded', message: 'slow' });
    expect(await error([{ type: 'error', code: 'server_is_overloaded', message: 'busy' }])).toMatchObject({
      status: 503,
    });
    expect(await error([{ type: 'response.created', response: {} }])).toMatchObject({ status: 502 });
  });
});
