import { describe, expect, it } from 'vitest';
import { prepareTools } from './prepare-tools';

const weather = {
  type: 'function' as const,
  name: 'weather',
  description: 'Weather of a city',
  inputSchema: { type: 'object' as const, properties: { city: { type: 'string' as const } } },
};

describe('prepareTools', () => {
  it('sends nothing without tools, whatever the tool choice', async () => {
    const result = await prepareTools({ tools: [], toolChoice: { type: 'required' } });
    expect(result.tools).toBeUndefined();
    expect(result.toolChoice).toBeUndefined();
  });

  it('maps function tools with their schema and strictness', async () => {
    const result = await prepareTools({
      tools: [weather, { ...weather, name: 'strict', strict: true }],
      toolChoice: undefined,
    });
    expect(result.tools).toEqual([
      {
        type: 'function',
        name: 'weather',
        description: 'Weather of a city',
        parameters: weather.inputSchema,
        strict: false,
      },
      {
        type: 'function',
        name: 'strict',
        description: 'Weather of a city',
        parameters: weather.inputSchema,
        strict: true,
      },
    ]);
    expect(result.toolChoice).toBeUndefined();
  });

  it.each([
    [{ type: 'auto' as const }, 'auto'],
    [{ type: 'none' as const }, 'none'],
    [{ type: 'required' as const }, 'required'],
    [
      { type: 'tool' as const, toolName: 'weather' },
      { type: 'function', name: 'weather' },
    ],
    [{ type: 'tool' as const, toolName: 'search' }, { type: 'web_search' }],
    [
      { type: 'tool' as const, toolName: 'patch' },
      { type: 'custom', name: 'patch' },
    ],
  ])('maps tool choice %j', async (toolChoice, expected) => {
    const result = await prepareTools({
      tools: [
        weather,
        { type: 'provider', id: 'codex.web_search', name: 'search', args: {} },
        { type: 'provider', id: 'codex.custom', name: 'patch', args: {} },
      ],
      toolChoice,
    });
    expect(result.toolChoice).toEqual(expected);
  });

  it('maps web search (also when defined with @ai-sdk/openai) and maps its name back', async () => {
    const result = await prepareTools({
      tools: [
        {
          type: 'provider',
          id: 'codex.web_search',
          name: 'search',
          args: {
            externalWebAccess: true,
            filters: { allowedDomains: ['example.com'] },
            searchContextSize: 'high',
            userLocation: { type: 'approximate', country: 'FR' },
          },
        },
        { type: 'provider', id: 'openai.web_search', name: 'openai_search', args: {} },
      ],
      toolChoice: undefined,
    });
    expect(result.tools).toEqual([
      {
        type: 'web_search',
        external_web_access: true,
        filters: { allowed_domains: ['example.com'] },
        user_location: { type: 'approximate', country: 'FR' },
        search_context_size: 'high',
      },
      { type: 'web_search' },
    ]);
    expect(result.toolNameMapping.toCustomToolName('web_search')).toBe('openai_search');
  });

  it('maps custom (freeform) tools with their grammar', async () => {
    const format = { type: 'grammar' as const, syntax: 'lark' as const, definition: 'start: "x"' };
    const result = await prepareTools({
      tools: [
        { type: 'provider', id: 'codex.custom', name: 'patch', args: { description: 'Patch files', format } },
      ],
      toolChoice: undefined,
    });
    expect(result.tools).toEqual([{ type: 'custom', name: 'patch', description: 'Patch files', format }]);
    expect([...result.customToolNames]).toEqual(['patch']);
  });

  it('rejects invalid provider tool arguments', async () => {
    await expect(
      prepareTools({
        tools: [{ type: 'provider', id: 'codex.web_search', name: 's', args: { searchContextSize: 'huge' } }],
        toolChoice: undefined,
      }),
    ).rejects.toThrow(/searchContextSize/);
  });

  it('warns about provider tools it does not know and does not send them', async () => {
    const result = await prepareTools({
      tools: [{ type: 'provider', id: 'openai.file_search', name: 'files', args: {} }],
      toolChoice: { type: 'auto' },
    });
    expect(result.tools).toBeUndefined();
    expect(result.toolChoice).toBeUndefined();
    expect(result.warnings).toEqual([
      { type: 'unsupported', feature: 'provider tool openai.file_search', details: expect.any(String) },
    ]);
  });
});
