import { describe, expect, it } from 'vitest';
import { ProxyError } from '../proxy-error';
import { chatCompletionsRequestSchema } from './chat-completions-request';
import { convertChatRequest } from './convert-chat-request';

const convert = (body: unknown) => convertChatRequest(chatCompletionsRequestSchema.parse(body));

describe('convertChatRequest', () => {
  it('maps system, developer, user, assistant tool calls and tool results into the AI SDK prompt', async () => {
    const options = await convert({
      model: 'gpt-5.5',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
      ],
    });

    expect(options.prompt).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Use metric units.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } }],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call_1',
            toolName: 'weather',
            output: { type: 'text', value: '18°C' },
          },
        ],
      },
    ]);
  });

  it('turns data-URL and http images into file parts and keeps the detail for the model', async () => {
    const options = await convert({
      model: 'gpt-5.5',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
          ],
        },
      ],
    });

    expect(options.prompt[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Compare' },
        {
          type: 'file',
          mediaType: 'image/png',
          data: { type: 'data', data: 'iVBORw0KGgo=' },
          providerOptions: { codex: { imageDetail: 'high' } },
        },
        {
          type: 'file',
          mediaType: 'image',
          data: { type: 'url', url: new URL('https://example.com/cat.jpg') },
        },
        {
          type: 'file',
          mediaType: 'application/pdf',
          data: { type: 'data', data: 'JVBERi0=' },
          filename: 'a.pdf',
        },
      ],
    });
  });

  it('maps tools, tool_choice, json_schema, reasoning_effort and the Codex-specific options', async () => {
    const options = await convert({
      model: 'gpt-5.5',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'weather',
            description: 'Get the weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            strict: true,
          },
        },
        { type: 'function', function: { name: 'now' } },
      ],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      parallel_tool_calls: false,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object', properties: {} }, strict: true },
      },
      reasoning_effort: 'high',
      verbosity: 'low',
      service_tier: 'priority',
      max_completion_tokens: 100,
      stop: 'END',
      temperature: 0.2,
    });

    expect(options).toMatchObject({
      tools: [
        {
          type: 'function',
          name: 'weather',
          description: 'Get the weather',
          inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          strict: true,
        },
        { type: 'function', name: 'now', inputSchema: { type: 'object', properties: {} } },
      ],
      toolChoice: { type: 'tool', toolName: 'weather' },
      responseFormat: { type: 'json', name: 'answer', schema: { type: 'object', properties: {} } },
      reasoning: 'high',
      maxOutputTokens: 100,
      stopSequences: ['END'],
      temperature: 0.2,
      providerOptions: {
        codex: {
          parallelToolCalls: false,
          textVerbosity: 'low',
          serviceTier: 'priority',
          strictJsonSchema: true,
        },
      },
    });
  });

  it('asks for JSON without a schema for json_object and leaves text output alone', async () => {
    const json = await convert({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      response_format: { type: 'json_object' },
    });
    const text = await convert({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      response_format: { type: 'text' },
      service_tier: 'auto',
    });
    expect(json.responseFormat).toEqual({ type: 'json' });
    expect(text.responseFormat).toBeUndefined();
    expect(text.providerOptions).toBeUndefined();
  });

  it('keeps tool-call arguments that are not JSON verbatim', async () => {
    const options = await convert({
      model: 'm',
      messages: [
        {
          role: 'assistant',
          tool_calls: [
            { id: 'c', type: 'function', function: { name: 'patch', arguments: '*** Begin Patch' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c', content: [{ type: 'text', text: 'ok' }] },
      ],
    });
    expect(options.prompt).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'patch', input: '*** Begin Patch' }],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'c', toolName: 'patch', output: { type: 'text', value: 'ok' } },
        ],
      },
    ]);
  });

  it.each([
    [{ n: 2 }, 'n'],
    [{ modalities: ['text', 'audio'] }, 'modalities'],
    [
      {
        tools: [{ type: 'function', function: { name: 'a' } }],
        tool_choice: { type: 'function', function: { name: 'b' } },
      },
      'tool_choice',
    ],
  ])('rejects %j with a 400 naming the parameter', async (extra, param) => {
    const error = await convert({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra }).catch(
      e => e,
    );
    expect(error).toBeInstanceOf(ProxyError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param });
  });

  it('rejects file ids, audio input and tool results for unknown calls with a message that says what to do', async () => {
    const fileId = await convert({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }],
    }).catch(e => e);
    expect(fileId).toMatchObject({ param: 'messages[0].content[0].file' });
    expect(fileId.message).toMatch(/file_data/);

    const audio = await convert({
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAA', format: 'wav' } }] },
      ],
    }).catch(e => e);
    expect(audio).toBeInstanceOf(ProxyError);

    const orphan = await convert({
      model: 'm',
      messages: [{ role: 'tool', tool_call_id: 'x', content: 'r' }],
    }).catch(e => e);
    expect(orphan).toMatchObject({ param: 'messages[0].tool_call_id' });
  });
});
