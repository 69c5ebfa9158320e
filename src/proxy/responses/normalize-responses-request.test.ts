import { describe, expect, it } from 'vitest';
import { ProxyError } from '../proxy-error';
import { normalizeResponsesRequest, responsesRequestSchema } from './normalize-responses-request';
import { ResponseStore } from './response-store';

const normalize = (body: unknown, store = new ResponseStore()) =>
  normalizeResponsesRequest(responsesRequestSchema.parse(body), store);

describe('normalizeResponsesRequest', () => {
  it('forces store:false and stream:true, includes encrypted reasoning, and remembers whether the client streams', () => {
    const streamed = normalize({
      model: 'gpt-5.5',
      input: 'hi',
      stream: true,
      store: true,
      include: ['file_search_call.results'],
    });
    expect(streamed.stream).toBe(true);
    expect(streamed.body).toEqual({
      model: 'gpt-5.5',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
      store: false,
      stream: true,
      include: ['file_search_call.results', 'reasoning.encrypted_content'],
    });
    expect(normalize({ model: 'gpt-5.5', input: 'hi' }).stream).toBe(false);
  });

  it('sends system messages as developer messages and string contents as content parts', () => {
    const { body } = normalize({
      model: 'gpt-5.5',
      instructions: 'You are terse.',
      input: [
        { role: 'system', content: 'Rule one.' },
        { type: 'message', role: 'user', content: 'Question' },
        { role: 'assistant', content: 'Answer' },
        { type: 'function_call_output', call_id: 'c', output: 'done' },
      ],
    });
    expect(body.instructions).toBe('You are terse.');
    expect(body.input).toEqual([
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Rule one.' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Question' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Answer' }] },
      { type: 'function_call_output', call_id: 'c', output: 'done' },
    ]);
  });

  it('drops parameters the backend refuses and reports them, keeping the ones it accepts', () => {
    const { body, dropped } = normalize({
      model: 'gpt-5.5',
      input: [],
      tools: [{ type: 'function', name: 'f', parameters: {} }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      text: { format: { type: 'json_schema', name: 'x', schema: {}, strict: true }, verbosity: 'low' },
      reasoning: { effort: 'high', generate_summary: 'auto' },
      prompt_cache_key: 'k',
      service_tier: 'priority',
      max_output_tokens: 100,
      temperature: 0.5,
      top_p: 1,
      metadata: { a: 'b' },
      truncation: 'auto',
      user: 'u',
    });
    expect(body).toMatchObject({
      tools: [{ type: 'function', name: 'f', parameters: {} }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      text: { format: { type: 'json_schema', name: 'x', schema: {}, strict: true }, verbosity: 'low' },
      reasoning: { effort: 'high', summary: 'auto' },
      prompt_cache_key: 'k',
      service_tier: 'priority',
    });
    for (const name of ['max_output_tokens', 'temperature', 'top_p', 'metadata', 'truncation', 'user']) {
      expect(body).not.toHaveProperty(name);
    }
    expect(dropped.sort()).toEqual([
      'max_output_tokens',
      'metadata',
      'temperature',
      'top_p',
      'truncation',
      'user',
    ]);

    const flex = normalize({ model: 'gpt-5.5', input: [], service_tier: 'flex' });
    expect(flex.body).not.toHaveProperty('service_tier');
    expect(flex.dropped).toEqual(['service_tier']);
  });

  it('resolves previous_response_id and item references from the responses it remembered', () => {
    const store = new ResponseStore();
    const first = normalize({ model: 'gpt-5.5', input: 'What is 2+2?' }, store);
    expect(first.remember).toBe(true);
    const reasoning = { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAA' };
    const answer = {
      type: 'message',
      id: 'msg_1',
      role: 'assistant',
      content: [{ type: 'output_text', text: '4' }],
    };
    store.remember(
      { id: 'resp_1', output: [reasoning, answer] },
      first.body.input as Array<Record<string, unknown>>,
    );

    const continued = normalize(
      { model: 'gpt-5.5', previous_response_id: 'resp_1', input: 'And 3+3?' },
      store,
    );
    expect(continued.body.input).toEqual([
      ...(first.body.input as unknown[]),
      reasoning,
      answer,
      expect.objectContaining({ role: 'user' }),
    ]);
    expect(continued.body).not.toHaveProperty('previous_response_id');
    expect(continued.dropped).toEqual([]);

    const referenced = normalize(
      {
        model: 'gpt-5.5',
        input: [
          { type: 'item_reference', id: 'rs_1' },
          { type: 'item_reference', id: 'msg_1' },
        ],
      },
      store,
    );
    expect(referenced.body.input).toEqual([reasoning, answer]);
    expect(normalize({ model: 'gpt-5.5', input: 'x', store: false }, store).remember).toBe(false);
  });

  it('sends the oneOf of strict schemas (text.format, strict function tools) as anyOf, leaving the rest as sent', () => {
    const union = { oneOf: [{ type: 'string' }, { type: 'number' }] };
    const schema = {
      type: 'object',
      properties: { value: union },
      required: ['value'],
      additionalProperties: false,
    };
    const { body } = normalize({
      model: 'gpt-5.5',
      input: 'x',
      text: { verbosity: 'low', format: { type: 'json_schema', name: 'v', strict: true, schema } },
      tools: [
        { type: 'function', name: 'strict', strict: true, parameters: schema },
        { type: 'function', name: 'loose', strict: false, parameters: schema },
      ],
    });
    const anyOfSchema = { ...schema, properties: { value: { anyOf: union.oneOf } } };
    expect(body.text).toEqual({
      verbosity: 'low',
      format: { type: 'json_schema', name: 'v', strict: true, schema: anyOfSchema },
    });
    expect(body.tools).toEqual([
      { type: 'function', name: 'strict', strict: true, parameters: anyOfSchema },
      { type: 'function', name: 'loose', strict: false, parameters: schema },
    ]);
    const loose = normalize({
      model: 'gpt-5.5',
      input: 'x',
      text: { format: { type: 'json_schema', name: 'v', strict: false, schema } },
    });
    expect(loose.body.text).toEqual({ format: { type: 'json_schema', name: 'v', strict: false, schema } });
  });

  it.each([
    [{ previous_response_id: 'resp_unknown' }, 'previous_response_id', 'previous_response_not_found'],
    [{ input: [{ type: 'item_reference', id: 'msg_unknown' }] }, 'input[0]', 'item_not_found'],
    [{ conversation: 'conv_1' }, 'conversation', null],
    [{ prompt: { id: 'pmpt_1', version: '2' } }, 'prompt', null],
    [{ background: true }, 'background', null],
  ])('refuses %j, which needs state the proxy does not have', (extra, param, code) => {
    let error: unknown;
    try {
      normalize({ model: 'gpt-5.5', input: [], ...extra });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProxyError);
    expect(error).toMatchObject({ status: 400, param, code });
  });
});
