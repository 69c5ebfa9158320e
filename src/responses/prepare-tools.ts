import type {
  LanguageModelV4CallOptions,
  LanguageModelV4ProviderTool,
  SharedV4Warning,
} from '@ai-sdk/provider';
import { createToolNameMapping, type ToolNameMapping, validateTypes } from '@ai-sdk/provider-utils';
import type { CodexAdditionalToolsItem, CodexTool, CodexToolChoice } from './codex-request';
import { toStrictModeSchema } from './strict-json-schema';
import { customToolArgsSchema } from './tools/custom-tool';
import { webSearchArgsSchema } from './tools/web-search';

// `openai.*` ids are accepted too, so tools written for `@ai-sdk/openai` keep working after a swap.
const webSearchToolIds = new Set(['codex.web_search', 'openai.web_search']);
const customToolIds = new Set(['codex.custom', 'openai.custom']);

/** The Responses Lite namespace of the caller's function and custom tools, as the Codex CLI names it. */
export const CLIENT_TOOL_NAMESPACE = 'functions';

export type PreparedTools = {
  tools: CodexTool[] | undefined;
  toolChoice: CodexToolChoice | undefined;
  /** Names (as the user gave them) of custom tools, whose calls carry raw text input. */
  customToolNames: Set<string>;
  /** Maps the backend's `web_search` back to the name the user gave the tool. */
  toolNameMapping: ToolNameMapping;
  warnings: SharedV4Warning[];
};

export async function prepareTools({
  tools,
  toolChoice,
}: {
  tools: LanguageModelV4CallOptions['tools'];
  toolChoice: LanguageModelV4CallOptions['toolChoice'];
}): Promise<PreparedTools> {
  const warnings: SharedV4Warning[] = [];
  const customToolNames = new Set<string>();
  const toolNameMapping = createToolNameMapping({
    tools,
    providerToolNames: { 'codex.web_search': 'web_search', 'openai.web_search': 'web_search' },
  });

  if (tools == null || tools.length === 0) {
    return { tools: undefined, toolChoice: undefined, customToolNames, toolNameMapping, warnings };
  }

  const codexTools: CodexTool[] = [];
  for (const tool of tools) {
    if (tool.type === 'function') {
      codexTools.push({
        type: 'function',
        name: tool.name,
        ...(tool.description != null && { description: tool.description }),
        parameters: tool.strict === true ? toStrictModeSchema(tool.inputSchema) : tool.inputSchema,
        strict: tool.strict ?? false,
      });
    } else if (webSearchToolIds.has(tool.id)) {
      codexTools.push(await prepareWebSearchTool(tool));
    } else if (customToolIds.has(tool.id)) {
      const args = await validateTypes({ value: tool.args, schema: customToolArgsSchema });
      customToolNames.add(tool.name);
      codexTools.push({
        type: 'custom',
        name: tool.name,
        ...(args.description != null && { description: args.description }),
        ...(args.format != null && { format: args.format }),
      });
    } else {
      warnings.push({
        type: 'unsupported',
        feature: `provider tool ${tool.id}`,
        details:
          'The Codex provider supports codex.tools.webSearch and codex.tools.customTool; the tool was not sent.',
      });
    }
  }

  return {
    tools: codexTools.length > 0 ? codexTools : undefined,
    toolChoice: codexTools.length > 0 ? prepareToolChoice(toolChoice, tools, customToolNames) : undefined,
    customToolNames,
    toolNameMapping,
    warnings,
  };
}

async function prepareWebSearchTool(tool: LanguageModelV4ProviderTool): Promise<CodexTool> {
  const args = await validateTypes({ value: tool.args, schema: webSearchArgsSchema });
  return {
    type: 'web_search',
    ...(args.externalWebAccess != null && { external_web_access: args.externalWebAccess }),
    ...(args.filters?.allowedDomains != null && {
      filters: { allowed_domains: args.filters.allowedDomains },
    }),
    ...(args.userLocation != null && { user_location: args.userLocation }),
    ...(args.searchContextSize != null && { search_context_size: args.searchContextSize }),
  };
}

function prepareToolChoice(
  toolChoice: LanguageModelV4CallOptions['toolChoice'],
  tools: NonNullable<LanguageModelV4CallOptions['tools']>,
  customToolNames: ReadonlySet<string>,
): CodexToolChoice | undefined {
  if (toolChoice == null) return undefined;
  if (toolChoice.type !== 'tool') return toolChoice.type;

  const tool = tools.find(candidate => candidate.name === toolChoice.toolName);
  if (tool?.type === 'provider' && webSearchToolIds.has(tool.id)) return { type: 'web_search' };
  if (customToolNames.has(toolChoice.toolName)) return { type: 'custom', name: toolChoice.toolName };
  return { type: 'function', name: toolChoice.toolName };
}

/**
 * Responses Lite carries the tools in a leading input item: function and custom tools inside the
 * `functions` namespace, as the Codex CLI sends them, and hosted tools (web search) beside it.
 */
export function toAdditionalToolsItem(tools: CodexTool[]): CodexAdditionalToolsItem {
  const clientTools = tools.filter(tool => tool.type === 'function' || tool.type === 'custom');
  const hostedTools = tools.filter(tool => tool.type !== 'function' && tool.type !== 'custom');
  return {
    type: 'additional_tools',
    role: 'developer',
    tools: [
      ...(clientTools.length > 0
        ? [{ type: 'namespace' as const, name: CLIENT_TOOL_NAMESPACE, description: '', tools: clientTools }]
        : []),
      ...hostedTools,
    ],
  };
}
