import type {
  JSONObject,
  LanguageModelV4CallOptions,
  LanguageModelV4FilePart,
  LanguageModelV4FunctionTool,
  LanguageModelV4Message,
  LanguageModelV4TextPart,
  LanguageModelV4ToolChoice,
  LanguageModelV4ToolResultOutput,
} from '@ai-sdk/provider';
import { safeParseJSON } from '@ai-sdk/provider-utils';
import { ProxyError } from '../proxy-error';
import type { ChatCompletionsRequest, ChatMessage, ChatUserContentPart } from './chat-completions-request';

/** The call options of one Chat Completions request, ready for the language model (without the abort signal). */
export type ChatCallOptions = Omit<LanguageModelV4CallOptions, 'abortSignal' | 'headers'>;

/**
 * Converts a Chat Completions request into language-model call options. The language model owns the mapping
 * to the Codex backend (system messages, unsupported settings, tool formats), so this only translates the
 * OpenAI Chat shape into the AI SDK's and rejects what no model could honour (`n > 1`, audio, file ids).
 */
export async function convertChatRequest(request: ChatCompletionsRequest): Promise<ChatCallOptions> {
  if (request.n != null && request.n !== 1) {
    throw new ProxyError({
      message:
        'Only n=1 is supported: the Codex backend returns one choice per request. Send n separate requests.',
      param: 'n',
    });
  }
  if (request.modalities?.includes('audio')) {
    throw new ProxyError({
      message: 'Audio output is not supported by the Codex backend. Remove "audio" from modalities.',
      param: 'modalities',
    });
  }

  const tools = request.tools?.map(
    ({ function: fn }): LanguageModelV4FunctionTool => ({
      type: 'function',
      name: fn.name,
      description: fn.description,
      inputSchema: (fn.parameters ?? {
        type: 'object',
        properties: {},
      }) as LanguageModelV4FunctionTool['inputSchema'],
      ...(fn.strict != null ? { strict: fn.strict } : {}),
    }),
  );

  const codexOptions: JSONObject = {};
  if (request.parallel_tool_calls != null) codexOptions.parallelToolCalls = request.parallel_tool_calls;
  if (request.verbosity != null) codexOptions.textVerbosity = request.verbosity;
  if (request.prompt_cache_key != null) codexOptions.promptCacheKey = request.prompt_cache_key;
  // `auto` and `default` mean "whatever the account gets", which is what omitting the tier asks for.
  if (request.service_tier != null && request.service_tier !== 'auto' && request.service_tier !== 'default') {
    codexOptions.serviceTier = request.service_tier;
  }
  const format = request.response_format;
  // Without `strict` the model decides: strict when the schema allows it.
  if (format?.type === 'json_schema' && format.json_schema.strict != null) {
    codexOptions.strictJsonSchema = format.json_schema.strict;
  }

  const stop = request.stop;
  return {
    prompt: await convertMessages(request.messages),
    ...(tools?.length ? { tools, toolChoice: convertToolChoice(request.tool_choice, tools) } : {}),
    ...(format == null || format.type === 'text'
      ? {}
      : format.type === 'json_object'
        ? { responseFormat: { type: 'json' as const } }
        : {
            responseFormat: {
              type: 'json' as const,
              name: format.json_schema.name,
              description: format.json_schema.description,
              schema: format.json_schema.schema as LanguageModelV4FunctionTool['inputSchema'] | undefined,
            },
          }),
    ...(request.reasoning_effort != null ? { reasoning: request.reasoning_effort } : {}),
    ...definedEntries({
      maxOutputTokens: request.max_completion_tokens ?? request.max_tokens,
      temperature: request.temperature,
      topP: request.top_p,
      presencePenalty: request.presence_penalty,
      frequencyPenalty: request.frequency_penalty,
      seed: request.seed,
      stopSequences: stop == null ? undefined : typeof stop === 'string' ? [stop] : stop,
    }),
    ...(Object.keys(codexOptions).length > 0 ? { providerOptions: { codex: codexOptions } } : {}),
  };
}

function convertToolChoice(
  choice: ChatCompletionsRequest['tool_choice'],
  tools: LanguageModelV4FunctionTool[],
): LanguageModelV4ToolChoice | undefined {
  if (choice == null) return undefined;
  if (typeof choice === 'string') return { type: choice };
  const toolName = choice.function.name;
  if (!tools.some(tool => tool.name === toolName)) {
    throw new ProxyError({
      message: `tool_choice names the function "${toolName}", which is not in tools.`,
      param: 'tool_choice',
    });
  }
  return { type: 'tool', toolName };
}

async function convertMessages(messages: ChatMessage[]): Promise<LanguageModelV4Message[]> {
  // Tool messages carry only the call id; the AI SDK prompt also wants the tool's name.
  const toolNames = new Map<string, string>();
  const prompt: LanguageModelV4Message[] = [];

  for (const [index, message] of messages.entries()) {
    const param = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        prompt.push({ role: 'system', content: joinText(message.content) });
        break;

      case 'user': {
        const content =
          typeof message.content === 'string'
            ? [{ type: 'text' as const, text: message.content }]
            : message.content.map((part, partIndex) =>
                convertUserPart(part, `${param}.content[${partIndex}]`),
              );
        prompt.push({ role: 'user', content });
        break;
      }

      case 'assistant': {
        const content: Extract<LanguageModelV4Message, { role: 'assistant' }>['content'] = [];
        const text =
          message.content == null
            ? ''
            : typeof message.content === 'string'
              ? message.content
              : message.content.map(part => (part.type === 'text' ? part.text : part.refusal)).join('');
        if (text.length > 0) content.push({ type: 'text', text });
        for (const call of message.tool_calls ?? []) {
          toolNames.set(call.id, call.function.name);
          const parsed = await safeParseJSON({ text: call.function.arguments });
          content.push({
            type: 'tool-call',
            toolCallId: call.id,
            toolName: call.function.name,
            // Arguments a model produced are normally JSON; anything else is kept verbatim.
            input: parsed.success ? parsed.value : call.function.arguments,
          });
        }
        prompt.push({ role: 'assistant', content });
        break;
      }

      case 'tool': {
        const toolName = toolNames.get(message.tool_call_id);
        if (toolName == null) {
          throw new ProxyError({
            message: `${param} answers tool_call_id "${message.tool_call_id}", which no earlier assistant message's tool_calls contains.`,
            param: `${param}.tool_call_id`,
          });
        }
        prompt.push({
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: message.tool_call_id,
              toolName,
              output: convertToolOutput(message.content, param),
            },
          ],
        });
        break;
      }

      case 'function':
        throw new ProxyError({
          message: `${param} uses the deprecated "function" role. Send tool_calls and "tool" messages instead.`,
          param: `${param}.role`,
        });
    }
  }
  return prompt;
}

function joinText(content: string | Array<{ text: string }>): string {
  return typeof content === 'string' ? content : content.map(part => part.text).join('\n');
}

function convertUserPart(
  part: ChatUserContentPart,
  param: string,
): LanguageModelV4TextPart | LanguageModelV4FilePart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };

    case 'image_url': {
      const { url, detail } = part.image_url;
      const providerOptions = detail != null ? { providerOptions: { codex: { imageDetail: detail } } } : {};
      const inline = parseDataUrl(url);
      if (inline != null) {
        return {
          type: 'file',
          mediaType: inline.mediaType,
          data: { type: 'data', data: inline.base64 },
          ...providerOptions,
        };
      }
      return {
        type: 'file',
        mediaType: 'image',
        data: { type: 'url', url: parseHttpUrl(url, `${param}.image_url.url`) },
        ...providerOptions,
      };
    }

    case 'file': {
      const { file_data: fileData, file_id: fileId, filename } = part.file;
      const inline = fileData != null ? parseDataUrl(fileData) : undefined;
      if (inline == null) {
        throw new ProxyError({
          message:
            fileId != null
              ? 'File ids are not supported: the Codex backend has no file storage. Send the file inline as file_data (a base64 data URL).'
              : 'file.file_data must be a base64 data URL such as "data:application/pdf;base64,…".',
          param: `${param}.file`,
        });
      }
      return {
        type: 'file',
        mediaType: inline.mediaType,
        data: { type: 'data', data: inline.base64 },
        ...(filename != null ? { filename } : {}),
      };
    }

    case 'input_audio':
      throw new ProxyError({ message: 'Audio input is not supported by the Codex backend.', param });
  }
}

function convertToolOutput(
  content: string | ChatUserContentPart[],
  param: string,
): LanguageModelV4ToolResultOutput {
  if (typeof content === 'string') return { type: 'text', value: content };
  if (content.every(part => part.type === 'text')) {
    return { type: 'text', value: content.map(part => part.text).join('') };
  }
  return {
    type: 'content',
    value: content.map((part, partIndex) => {
      const converted = convertUserPart(part, `${param}.content[${partIndex}]`);
      return converted.type === 'text'
        ? converted
        : { type: 'file' as const, mediaType: converted.mediaType, data: converted.data };
    }),
  };
}

function parseDataUrl(url: string): { mediaType: string; base64: string } | undefined {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  return match == null ? undefined : { mediaType: match[1]!, base64: match[2]! };
}

function parseHttpUrl(value: string, param: string): URL {
  if (URL.canParse(value)) {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  }
  throw new ProxyError({ message: 'An image URL must be an http(s) URL or a base64 data URL.', param });
}

function definedEntries<T extends Record<string, unknown>>(
  record: T,
): { [K in keyof T]?: Exclude<T[K], null | undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value != null)) as {
    [K in keyof T]?: Exclude<T[K], null | undefined>;
  };
}
