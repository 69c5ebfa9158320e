import { UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { convertPrompt } from './convert-prompt';

const noCustomTools = new Set<string>();

describe('convertPrompt', () => {
  it('sends system messages as developer messages in place, never as system items or instructions', async () => {
    const result = await convertPrompt({
      prompt: [
        { role: 'system', content: 'Be brief.' },
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'system', content: 'Now be formal.' },
      ],
      customToolNames: noCustomTools,
    });
    expect(result.instructions).toBeUndefined();
    expect(result.input).toEqual([
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] },
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Answer in French.' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Now be formal.' }] },
    ]);
  });

  it('passes the instructions option through as the top-level field', async () => {
    const explicit = await convertPrompt({
      prompt: [{ role: 'system', content: 'Be brief.' }],
      instructions: 'You are a coding agent.',
      customToolNames: noCustomTools,
    });
    expect(explicit.instructions).toBe('You are a coding agent.');
    expect(explicit.input).toEqual([
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] },
    ]);
  });

  it('replays tool calls in the Responses Lite namespace when given one', async () => {
    const result = await convertPrompt({
      prompt: [
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_1',
              toolName: 'weather',
              output: { type: 'text', value: 'sunny' },
            },
          ],
        },
      ],
      customToolNames: noCustomTools,
      toolNamespace: 'functions',
    });
    expect(result.input).toEqual([
      {
        type: 'function_call',
        call_id: 'call_1',
        name: 'weather',
        namespace: 'functions',
        arguments: '{"city":"Paris"}',
      },
      // The CLI sends outputs without a namespace.
      { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
    ]);
  });

  it('converts images from bytes, base64 and URLs, and PDFs', async () => {
    const result = await convertPrompt({
      prompt: [
        {
          role: 'user',
          content: [
            { type: 'file', mediaType: 'image/png', data: { type: 'data', data: new Uint8Array([1, 2, 3]) } },
            {
              type: 'file',
              mediaType: 'image/jpeg',
              data: { type: 'data', data: 'AAEC' },
              providerOptions: { codex: { imageDetail: 'high' } },
            },
            {
              type: 'file',
              mediaType: 'image/*',
              data: { type: 'url', url: new URL('https://x.example/a.png') },
            },
            {
              type: 'file',
              mediaType: 'application/pdf',
              data: { type: 'data', data: 'JVBE' },
              filename: 'a.pdf',
            },
            { type: 'file', mediaType: 'application/pdf', data: { type: 'data', data: 'JVBE' } },
            {
              type: 'file',
              mediaType: 'application/pdf',
              data: { type: 'url', url: new URL('https://x.example/b.pdf') },
            },
            { type: 'file', mediaType: 'text/plain', data: { type: 'text', text: 'notes' } },
          ],
        },
      ],
      customToolNames: noCustomTools,
    });
    expect(result.input[0]).toEqual({
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_image', image_url: 'data:image/png;base64,AQID' },
        { type: 'input_image', image_url: 'data:image/jpeg;base64,AAEC', detail: 'high' },
        { type: 'input_image', image_url: 'https://x.example/a.png' },
        { type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBE' },
        { type: 'input_file', filename: 'part-4.pdf', file_data: 'data:application/pdf;base64,JVBE' },
        { type: 'input_file', file_url: 'https://x.example/b.pdf' },
        { type: 'input_text', text: 'notes' },
      ],
    });
  });

  it('rejects files the backend cannot take, saying what it accepts', async () => {
    await expect(
      convertPrompt({
        prompt: [
          {
            role: 'user',
            content: [{ type: 'file', mediaType: 'audio/wav', data: { type: 'data', data: 'AAAA' } }],
          },
        ],
        customToolNames: noCustomTools,
      }),
    ).rejects.toSatisfy(
      error => UnsupportedFunctionalityError.isInstance(error) && /images and PDFs/.test(error.message),
    );
    await expect(
      convertPrompt({
        prompt: [
          {
            role: 'user',
            content: [
              {
                type: 'file',
                mediaType: 'image/png',
                data: { type: 'reference', reference: { openai: 'f' } },
              },
            ],
          },
        ],
        customToolNames: noCustomTools,
      }),
    ).rejects.toThrow(/file references/);
  });

  it('replays reasoning with its encrypted content and summary, merged per item, without ids', async () => {
    const result = await convertPrompt({
      prompt: [
        { role: 'user', content: [{ type: 'text', text: 'Go' }] },
        {
          role: 'assistant',
          content: [
            {
              type: 'reasoning',
              text: 'First thought.',
              providerOptions: { codex: { itemId: 'rs_1', reasoningEncryptedContent: null } },
            },
            {
              type: 'reasoning',
              text: 'Second thought.',
              providerOptions: { codex: { itemId: 'rs_1', reasoningEncryptedContent: 'enc-final' } },
            },
            {
              type: 'reasoning',
              text: '',
              providerOptions: { codex: { reasoningEncryptedContent: 'enc-2' } },
            },
            {
              type: 'text',
              text: 'Done.',
              providerOptions: { codex: { itemId: 'msg_1', phase: 'final_answer' } },
            },
          ],
        },
      ],
      customToolNames: noCustomTools,
    });
    expect(result.input.slice(1)).toEqual([
      {
        type: 'reasoning',
        summary: [
          { type: 'summary_text', text: 'First thought.' },
          { type: 'summary_text', text: 'Second thought.' },
        ],
        encrypted_content: 'enc-final',
      },
      { type: 'reasoning', summary: [], encrypted_content: 'enc-2' },
      {
        type: 'message',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Done.' }],
        phase: 'final_answer',
      },
    ]);
    expect(JSON.stringify(result.input)).not.toMatch(/rs_1|msg_1/);
    expect(result.warnings).toEqual([]);
  });

  it('skips reasoning it cannot replay, with a warning', async () => {
    const result = await convertPrompt({
      prompt: [{ role: 'assistant', content: [{ type: 'reasoning', text: 'from another provider' }] }],
      customToolNames: noCustomTools,
    });
    expect(result.input).toEqual([]);
    expect(result.warnings).toEqual([{ type: 'other', message: expect.stringMatching(/encrypted content/) }]);
  });

  it('sends tool calls and every kind of result as matching pairs', async () => {
    const calls = ['text', 'json', 'error-text', 'error-json', 'denied', 'content'].map(id => ({
      type: 'tool-call' as const,
      toolCallId: id,
      toolName: 'tool',
      input: { q: id },
    }));
    const result = await convertPrompt({
      prompt: [
        { role: 'assistant', content: calls },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'text',
              toolName: 'tool',
              output: { type: 'text', value: 'ok' },
            },
            {
              type: 'tool-result',
              toolCallId: 'json',
              toolName: 'tool',
              output: { type: 'json', value: { a: 1 } },
            },
            {
              type: 'tool-result',
              toolCallId: 'error-text',
              toolName: 'tool',
              output: { type: 'error-text', value: 'boom' },
            },
            {
              type: 'tool-result',
              toolCallId: 'error-json',
              toolName: 'tool',
              output: { type: 'error-json', value: { code: 1 } },
            },
            {
              type: 'tool-result',
              toolCallId: 'denied',
              toolName: 'tool',
              output: { type: 'execution-denied', reason: 'Not allowed.' },
            },
            {
              type: 'tool-result',
              toolCallId: 'content',
              toolName: 'tool',
              output: {
                type: 'content',
                value: [
                  { type: 'text', text: 'chart:' },
                  { type: 'file', mediaType: 'image/png', data: { type: 'data', data: 'AQID' } },
                ],
              },
            },
          ],
        },
      ],
      customToolNames: noCustomTools,
    });
    expect(result.input).toEqual([
      ...calls.map(call => ({
        type: 'function_call',
        call_id: call.toolCallId,
        name: 'tool',
        arguments: JSON.stringify(call.input),
      })),
      { type: 'function_call_output', call_id: 'text', output: 'ok' },
      { type: 'function_call_output', call_id: 'json', output: '{"a":1}' },
      { type: 'function_call_output', call_id: 'error-text', output: '{"error":"boom"}' },
      { type: 'function_call_output', call_id: 'error-json', output: '{"error":{"code":1}}' },
      { type: 'function_call_output', call_id: 'denied', output: 'Not allowed.' },
      {
        type: 'function_call_output',
        call_id: 'content',
        output: [
          { type: 'input_text', text: 'chart:' },
          { type: 'input_image', image_url: 'data:image/png;base64,AQID' },
        ],
      },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('replays custom tool calls as custom_tool_call with raw input and a custom output', async () => {
    const result = await convertPrompt({
      prompt: [
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', toolCallId: 'c1', toolName: 'apply_patch', input: '*** Begin Patch' },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c1',
              toolName: 'apply_patch',
              output: { type: 'text', value: 'Done' },
            },
          ],
        },
      ],
      customToolNames: new Set(['apply_patch']),
    });
    expect(result.input).toEqual([
      { type: 'custom_tool_call', call_id: 'c1', name: 'apply_patch', input: '*** Begin Patch' },
      { type: 'custom_tool_call_output', call_id: 'c1', output: 'Done' },
    ]);
  });

  it('skips provider-executed calls and results (web search) and approval responses', async () => {
    const result = await convertPrompt({
      prompt: [
        {
          role: 'assistant',
          content: [
            {
              type: 'tool-call',
              toolCallId: 'ws',
              toolName: 'web_search',
              input: {},
              providerExecuted: true,
            },
            {
              type: 'tool-result',
              toolCallId: 'ws',
              toolName: 'web_search',
              output: { type: 'json', value: {} },
            },
            { type: 'text', text: 'Found it.' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: 'a', approved: true }] },
      ],
      customToolNames: noCustomTools,
    });
    expect(result.input).toEqual([
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Found it.' }] },
    ]);
  });

  it('closes calls without results and drops results without calls, with warnings', async () => {
    const result = await convertPrompt({
      prompt: [
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'lost', toolName: 't', input: {} }] },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'orphan',
              toolName: 't',
              output: { type: 'text', value: 'x' },
            },
          ],
        },
      ],
      customToolNames: noCustomTools,
    });
    expect(result.input).toEqual([
      { type: 'function_call', call_id: 'lost', name: 't', arguments: '{}' },
      { type: 'function_call_output', call_id: 'lost', output: 'aborted' },
    ]);
    expect(result.warnings).toHaveLength(2);
  });

  it('skips custom tool-result content parts with a warning', async () => {
    const result = await convertPrompt({
      prompt: [
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: {} }] },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c',
              toolName: 't',
              output: { type: 'content', value: [{ type: 'text', text: 'ok' }, { type: 'custom' }] },
            },
          ],
        },
      ],
      customToolNames: noCustomTools,
    });
    expect(result.input[1]).toEqual({
      type: 'function_call_output',
      call_id: 'c',
      output: [{ type: 'input_text', text: 'ok' }],
    });
    expect(result.warnings).toEqual([
      { type: 'other', message: expect.stringMatching(/custom tool-result content/) },
    ]);
  });

  it('warns about assistant parts it cannot send', async () => {
    const result = await convertPrompt({
      prompt: [
        {
          role: 'assistant',
          content: [{ type: 'file', mediaType: 'image/png', data: { type: 'data', data: 'AQID' } }],
        },
      ],
      customToolNames: noCustomTools,
    });
    expect(result.input).toEqual([]);
    expect(result.warnings).toEqual([{ type: 'other', message: expect.stringMatching(/file parts/) }]);
  });
});
