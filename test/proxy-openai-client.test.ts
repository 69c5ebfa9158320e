import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultModelsCatalog, functionCallTurn, textTurn } from '../src/testing';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

// The official `openai` npm client against the proxy, the proxy against the emulator, all over real HTTP.

let harness: ProxyOverEmulator;
let client: OpenAI;

beforeAll(async () => {
  // The backend requests are checked as SSE carries them (whole); over the WebSocket a conversation's later
  // requests would name the previous response instead (see websocket-transport.test.ts).
  harness = await startProxyOverEmulator({ proxy: { codex: { transport: 'sse' } } });
  client = new OpenAI({ baseURL: harness.baseURL, apiKey: PROXY_API_KEY, maxRetries: 0 });
});
afterAll(() => harness?.close());
beforeEach(() => harness.emulator.reset());

const backendRequests = () =>
  harness.emulator.requestsTo('responses').map(r => r.body as Record<string, unknown>);

describe('chat.completions through the proxy', () => {
  it('answers a non-streaming request with a chat.completion shaped as OpenAI shapes it', async () => {
    harness.emulator.enqueue(
      textTurn('Hello from Codex.', {
        usage: { inputTokens: 40, cachedTokens: 32, outputTokens: 9, reasoningTokens: 4 },
      }),
    );

    const completion = await client.chat.completions.create({
      model: 'gpt-5.5',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello.' },
      ],
    });

    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-5.5',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello from Codex.', refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 40,
        completion_tokens: 9,
        total_tokens: 49,
        prompt_tokens_details: { cached_tokens: 32 },
        completion_tokens_details: { reasoning_tokens: 4 },
      },
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.created).toBeGreaterThan(Date.now() / 1000 - 60);

    const [sent] = backendRequests();
    expect(sent).toMatchObject({ model: 'gpt-5.5', store: false, stream: true });
    expect(JSON.stringify(sent?.input)).toContain('Say hello.');
  });

  it('streams chunks with a role chunk, content deltas, finish_reason, the usage chunk and [DONE]', async () => {
    harness.emulator.enqueue(textTurn('One two three.', { usage: { inputTokens: 12, outputTokens: 5 } }));

    const stream = await client.chat.completions.create({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'Count.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: 'assistant' });
    expect(new Set(chunks.map(c => c.id)).size).toBe(1);
    expect(chunks.every(c => c.object === 'chat.completion.chunk' && c.model === 'gpt-5.5')).toBe(true);
    expect(chunks.map(c => c.choices[0]?.delta.content ?? '').join('')).toBe('One two three.');
    expect(chunks.filter(c => c.choices[0]?.delta.content).length).toBeGreaterThan(1);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
    });
  });

  it('completes a tool-call round trip, streamed and accumulated by the SDK', async () => {
    harness.emulator.enqueue(
      functionCallTurn({ name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_weather_1' }),
      textTurn('It is 18°C in Paris.'),
    );
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather of a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];

    // The SDK's stream helper folds the chunks and rejects tool-call deltas that are not shaped like OpenAI's.
    const first = await client.chat.completions
      .stream({ model: 'gpt-5.5', messages, tools })
      .finalChatCompletion();
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ id: 'call_weather_1', type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '')).toEqual({ city: 'Paris' });

    messages.push(first.choices[0]!.message, {
      role: 'tool',
      tool_call_id: 'call_weather_1',
      content: '18°C, sunny',
    });
    const second = await client.chat.completions.create({ model: 'gpt-5.5', messages, tools });
    expect(second.choices[0]?.message.content).toBe('It is 18°C in Paris.');

    const followUp = backendRequests()[1];
    expect(followUp?.tools).toEqual([expect.objectContaining({ type: 'function', name: 'get_weather' })]);
    expect(followUp?.input).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'function_call', call_id: 'call_weather_1', name: 'get_weather' }),
        expect.objectContaining({
          type: 'function_call_output',
          call_id: 'call_weather_1',
          output: '18°C, sunny',
        }),
      ]),
    );
  });

  it('passes a json_schema response_format to the backend as a strict text format', async () => {
    harness.emulator.enqueue(textTurn('{"city":"Paris","temperature":18}'));

    const completion = await client.chat.completions.create({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'Weather as JSON.' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'weather',
          strict: true,
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, temperature: { type: 'number' } },
            required: ['city', 'temperature'],
            additionalProperties: false,
          },
        },
      },
    });

    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({
      city: 'Paris',
      temperature: 18,
    });
    expect(backendRequests()[0]?.text).toMatchObject({
      format: {
        type: 'json_schema',
        name: 'weather',
        strict: true,
        schema: expect.objectContaining({ required: ['city', 'temperature'] }),
      },
    });
  });

  it('sends images and the reasoning effort on to the backend', async () => {
    harness.emulator.enqueue(textTurn('A red pixel.'));
    const pixel =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

    const completion = await client.chat.completions.create({
      model: 'gpt-5.5',
      reasoning_effort: 'high',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: pixel, detail: 'low' } },
          ],
        },
      ],
    });

    expect(completion.choices[0]?.message.content).toBe('A red pixel.');
    const [sent] = backendRequests();
    expect(sent?.reasoning).toMatchObject({ effort: 'high' });
    expect(sent?.input).toEqual([
      expect.objectContaining({
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is this?' },
          { type: 'input_image', image_url: pixel, detail: 'low' },
        ],
      }),
    ]);
  });

  it('answers a request the backend cannot take with OpenAI’s 400 error', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }], n: 3 })
      .catch(e => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ type: 'invalid_request_error', param: 'n' });
    expect(harness.emulator.requestsTo('responses')).toHaveLength(0);
  });
});

describe('responses through the proxy', () => {
  it('folds the stream into a Response for a non-streaming request', async () => {
    harness.emulator.enqueue(textTurn('Plain answer.'));

    const response = await client.responses.create({
      model: 'gpt-5.5',
      instructions: 'Answer plainly.',
      input: 'Question?',
      temperature: 0.3,
      max_output_tokens: 200,
    });

    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Plain answer.');
    expect(response.usage?.output_tokens).toBeGreaterThan(0);

    const [sent] = backendRequests();
    expect(sent).toMatchObject({
      instructions: 'Answer plainly.',
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Question?' }] }],
    });
    expect(sent).not.toHaveProperty('temperature');
    expect(sent).not.toHaveProperty('max_output_tokens');
  });

  it('streams the backend’s events back, which the SDK’s stream helper folds into the final response', async () => {
    harness.emulator.enqueue(
      functionCallTurn(
        { name: 'lookup', arguments: { q: 'codex' }, callId: 'call_lookup_1' },
        { reasoning: 'Need to look it up.' },
      ),
    );

    const events: string[] = [];
    const stream = client.responses.stream({
      model: 'gpt-5.5',
      input: [
        { role: 'system', content: 'Use tools.' },
        { role: 'user', content: 'Find codex.' },
      ],
      tools: [
        {
          type: 'function',
          name: 'lookup',
          parameters: { type: 'object', properties: { q: { type: 'string' } } },
          strict: false,
        },
      ],
      reasoning: { effort: 'low', summary: 'auto' },
    });
    stream.on('event', event => events.push(event.type));
    const final = await stream.finalResponse();

    expect(events[0]).toBe('response.created');
    expect(events).toContain('response.function_call_arguments.delta');
    expect(events.at(-1)).toBe('response.completed');
    expect(final.output).toEqual([
      expect.objectContaining({ type: 'reasoning', encrypted_content: expect.any(String) }),
      expect.objectContaining({
        type: 'function_call',
        call_id: 'call_lookup_1',
        name: 'lookup',
        arguments: '{"q":"codex"}',
      }),
    ]);
    expect(backendRequests()[0]?.input).toMatchObject([{ role: 'developer' }, { role: 'user' }]);
  });
  it('continues a conversation with previous_response_id, which the proxy resolves from memory', async () => {
    harness.emulator.enqueue(textTurn('Four.'), textTurn('Six.'));

    const first = await client.responses.create({ model: 'gpt-5.5', input: 'What is 2+2?' });
    const second = await client.responses.create({
      model: 'gpt-5.5',
      previous_response_id: first.id,
      input: 'And 3+3?',
    });

    expect(second.output_text).toBe('Six.');
    const sent = backendRequests()[1];
    expect(sent).not.toHaveProperty('previous_response_id');
    expect(sent?.input).toEqual([
      expect.objectContaining({ role: 'user', content: [{ type: 'input_text', text: 'What is 2+2?' }] }),
      expect.objectContaining({
        type: 'message',
        role: 'assistant',
        content: [expect.objectContaining({ text: 'Four.' })],
      }),
      expect.objectContaining({ role: 'user', content: [{ type: 'input_text', text: 'And 3+3?' }] }),
    ]);

    const unknown = await client.responses
      .create({ model: 'gpt-5.5', previous_response_id: 'resp_gone', input: 'x' })
      .catch(e => e);
    expect(unknown).toBeInstanceOf(OpenAI.BadRequestError);
    expect(unknown.error).toMatchObject({
      code: 'previous_response_not_found',
      param: 'previous_response_id',
    });
  });
});

describe('kept responses through the proxy', () => {
  it('retrieves a kept response, pages through its input items and deletes it', async () => {
    harness.emulator.enqueue(textTurn('Four.'), textTurn('Six.'));
    const first = await client.responses.create({ model: 'gpt-5.5', input: 'What is 2+2?' });
    const second = await client.responses.create({
      model: 'gpt-5.5',
      previous_response_id: first.id,
      input: [{ role: 'user', content: 'And 3+3?' }],
    });

    const retrieved = await client.responses.retrieve(second.id);
    expect(retrieved).toMatchObject({ id: second.id, object: 'response', status: 'completed' });
    expect(retrieved.output_text).toBe('Six.');

    // The input of the second response: the first question, the first answer, the second question.
    const page = await client.responses.inputItems.list(second.id, { order: 'asc', limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);
    const all = [];
    for await (const item of client.responses.inputItems.list(second.id, { order: 'asc', limit: 2 }))
      all.push(item);
    expect(all.map(item => item.type === 'message' && item.role)).toEqual(['user', 'assistant', 'user']);
    expect(all.every(item => typeof item.id === 'string' && item.id.length > 0)).toBe(true);
    expect(new Set(all.map(item => item.id)).size).toBe(3);
    expect(JSON.stringify(all[0])).toContain('What is 2+2?');
    expect(JSON.stringify(all[2])).toContain('And 3+3?');

    const newestFirst = await client.responses.inputItems.list(second.id, { limit: 1 });
    expect(newestFirst.data.map(item => item.id)).toEqual([all[2]?.id]);
    const afterNewest = await client.responses.inputItems.list(second.id, {
      limit: 5,
      after: all[2]?.id,
    });
    expect(afterNewest.data.map(item => item.id)).toEqual([all[1]?.id, all[0]?.id]);
    expect(afterNewest.has_more).toBe(false);

    await client.responses.delete(second.id);
    for (const call of [
      () => client.responses.retrieve(second.id),
      () => client.responses.inputItems.list(second.id),
      () => client.responses.delete(second.id),
    ]) {
      const error = await call().catch(e => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'response_not_found',
        message: expect.stringContaining(second.id),
      });
    }
    // The first response is still kept.
    expect((await client.responses.retrieve(first.id)).output_text).toBe('Four.');
  });

  it('keeps no response created with store: false, and refuses bad paging parameters', async () => {
    harness.emulator.enqueue(textTurn('Not kept.'), textTurn('Kept.'));
    const unkept = await client.responses.create({ model: 'gpt-5.5', input: 'x', store: false });
    await expect(client.responses.retrieve(unkept.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);

    const kept = await client.responses.create({ model: 'gpt-5.5', input: 'y' });
    const tooMany = await client.responses.inputItems.list(kept.id, { limit: 101 }).catch(e => e);
    expect(tooMany).toBeInstanceOf(OpenAI.BadRequestError);
    expect(tooMany.error).toMatchObject({ param: 'limit' });
    const unknownAfter = await client.responses.inputItems.list(kept.id, { after: 'msg_nope' }).catch(e => e);
    expect(unknownAfter).toBeInstanceOf(OpenAI.BadRequestError);
    expect(unknownAfter.error).toMatchObject({ param: 'after' });
  });

  it('refuses a stored prompt with a 400, before asking the backend', async () => {
    const error = await client.responses
      .create({ model: 'gpt-5.5', input: 'x', prompt: { id: 'pmpt_123', version: '2' } })
      .catch(e => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.error).toMatchObject({ param: 'prompt', message: expect.stringContaining('instructions') });
    expect(harness.emulator.requestsTo('responses')).toHaveLength(0);
  });
});

describe('models through the proxy', () => {
  it('lists the live catalog in OpenAI’s shape and retrieves one model', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map(m => m.id)).toContain('gpt-5.5');
    expect(models[0]).toMatchObject({ object: 'model', owned_by: 'openai', created: expect.any(Number) });
    // The catalog is the backend's (cached by the provider for five minutes), not a list of the proxy's own.
    expect(models.map(m => m.id).sort()).toEqual(
      defaultModelsCatalog()
        .map(m => m.slug)
        .sort(),
    );

    await expect(client.models.retrieve('gpt-5.5')).resolves.toMatchObject({
      id: 'gpt-5.5',
      object: 'model',
    });
    await expect(client.models.retrieve('no-such-model')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
