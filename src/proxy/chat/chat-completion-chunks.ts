import type {
  LanguageModelV4FinishReason,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { incompleteResponseError, type ProxyError } from '../proxy-error';

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ChatCompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

export interface ChatCompletionToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    delta: {
      role?: 'assistant';
      content?: string;
      refusal?: null;
      /** Reasoning summaries, under the field most OpenAI-compatible servers and clients use for them. */
      reasoning_content?: string;
      tool_calls?: ChatCompletionToolCallDelta[];
    };
    logprobs: null;
    finish_reason: ChatFinishReason | null;
  }>;
  /** `null` on every chunk but the last when the client asked for `stream_options.include_usage`. */
  usage?: ChatCompletionUsage | null;
}

/** What the chunk stream carries: a chunk to send, or the error that ends the response. */
export type ChatChunkEvent =
  | { type: 'chunk'; chunk: ChatCompletionChunk }
  | { type: 'error'; error: ProxyError };

/** Turns the language model's stream parts into chunk events, one part at a time. */
export interface ChatChunkMapper {
  /** The events a part makes (often one, none for parts that have no chunk). */
  map(part: LanguageModelV4StreamPart): ChatChunkEvent[];
  /** The events that end the stream when the parts have ended: an error if no finish came. */
  end(): ChatChunkEvent[];
}

const NONE: ChatChunkEvent[] = [];

/**
 * Maps the language model's stream parts to Chat Completions chunks in the order OpenAI sends them: a role
 * chunk, content and tool-call deltas, a chunk with the finish reason and, with `includeUsage`, a last chunk
 * with empty `choices` and the usage. Tool calls the backend ran itself are not the client's to run and are left
 * out. The first error ends the stream.
 *
 * Codex models may write commentary (`phase: commentary`) before the final answer; both are content, except
 * with `jsonOutput`, where the content must parse as JSON.
 *
 * A mapper rather than a `TransformStream`: every token of every proxied answer passes through it, and a
 * stream between the model's parts and the response's bytes would cost each token a read of its own.
 */
export function createChatChunkMapper({
  id,
  created,
  model,
  includeUsage,
  jsonOutput = false,
  toProxyError,
}: {
  id: string;
  created: number;
  model: string;
  includeUsage: boolean;
  /** The client asked for JSON: the model's commentary before its final answer is left out of `content`. */
  jsonOutput?: boolean;
  toProxyError: (error: unknown) => ProxyError;
}): ChatChunkMapper {
  let responseModel = model;
  const commentaryTextIds = new Set<string>();
  let roleSent = false;
  let done = false;
  const toolCalls = new Map<string, { index: number; streamedArguments: string }>();

  // Read at call time: `responseModel` changes once the backend names the model it ran.
  const chunkEvent = (fields: Pick<ChatCompletionChunk, 'choices' | 'usage'>): ChatChunkEvent => ({
    type: 'chunk',
    chunk: { id, object: 'chat.completion.chunk', created, model: responseModel, ...fields },
  });

  const chunk = (
    delta: ChatCompletionChunk['choices'][number]['delta'],
    finishReason: ChatFinishReason | null = null,
  ): ChatChunkEvent =>
    chunkEvent({
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });

  // The role chunk goes before the first chunk with content.
  const withRole = (event: ChatChunkEvent): ChatChunkEvent[] => {
    if (roleSent) return [event];
    roleSent = true;
    return [chunk({ role: 'assistant', content: '', refusal: null }), event];
  };

  const fail = (error: ProxyError): ChatChunkEvent[] => {
    done = true;
    return [{ type: 'error', error }];
  };

  const mapToolCall = (part: Extract<LanguageModelV4StreamPart, { type: 'tool-call' }>): ChatChunkEvent[] => {
    if (part.providerExecuted) return NONE;
    const call = toolCalls.get(part.toolCallId);
    if (call == null) {
      const index = toolCalls.size;
      toolCalls.set(part.toolCallId, { index, streamedArguments: part.input });
      return withRole(
        chunk({
          tool_calls: [
            {
              index,
              id: part.toolCallId,
              type: 'function',
              function: { name: part.toolName, arguments: part.input },
            },
          ],
        }),
      );
    }
    // The final input is authoritative: send whatever the deltas did not already carry.
    if (
      !part.input.startsWith(call.streamedArguments) ||
      part.input.length <= call.streamedArguments.length
    ) {
      return NONE;
    }
    const rest = part.input.slice(call.streamedArguments.length);
    call.streamedArguments = part.input;
    return [chunk({ tool_calls: [{ index: call.index, function: { arguments: rest } }] })];
  };

  const map = (part: LanguageModelV4StreamPart): ChatChunkEvent[] => {
    switch (part.type) {
      case 'response-metadata':
        if (part.modelId != null && !roleSent) responseModel = part.modelId;
        return NONE;

      case 'text-start':
        if (jsonOutput && part.providerMetadata?.codex?.phase === 'commentary')
          commentaryTextIds.add(part.id);
        return NONE;

      case 'text-delta':
        if (part.delta.length === 0 || commentaryTextIds.has(part.id)) return NONE;
        return withRole(chunk({ content: part.delta }));

      case 'reasoning-delta':
        if (part.delta.length === 0) return NONE;
        return withRole(chunk({ reasoning_content: part.delta }));

      case 'tool-input-start': {
        if (part.providerExecuted || toolCalls.has(part.id)) return NONE;
        const index = toolCalls.size;
        toolCalls.set(part.id, { index, streamedArguments: '' });
        return withRole(
          chunk({
            tool_calls: [
              { index, id: part.id, type: 'function', function: { name: part.toolName, arguments: '' } },
            ],
          }),
        );
      }

      case 'tool-input-delta': {
        const call = toolCalls.get(part.id);
        if (call == null || part.delta.length === 0) return NONE;
        call.streamedArguments += part.delta;
        return [chunk({ tool_calls: [{ index: call.index, function: { arguments: part.delta } }] })];
      }

      case 'tool-call':
        return mapToolCall(part);

      case 'error':
        return fail(toProxyError(part.error));

      case 'finish': {
        if (part.finishReason.unified === 'interrupted' || part.finishReason.unified === 'error') {
          return fail(incompleteResponseError());
        }
        const events = withRole(chunk({}, mapFinishReason(part.finishReason, toolCalls.size > 0)));
        done = true;
        if (includeUsage) events.push(chunkEvent({ choices: [], usage: convertUsage(part.usage) }));
        return events;
      }

      default:
        return NONE;
    }
  };

  return {
    map: part => (done ? NONE : map(part)),
    end: () => (done ? NONE : fail(incompleteResponseError())),
  };
}

export function mapFinishReason(
  finishReason: LanguageModelV4FinishReason,
  hasToolCalls: boolean,
): ChatFinishReason {
  switch (finishReason.unified) {
    case 'length':
      return 'length';
    case 'content-filter':
      return 'content_filter';
    case 'tool-calls':
      return 'tool_calls';
    default:
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}

export function convertUsage(usage: LanguageModelV4Usage): ChatCompletionUsage {
  const promptTokens = usage.inputTokens.total ?? 0;
  const completionTokens = usage.outputTokens.total ?? 0;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: usage.inputTokens.cacheRead ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.outputTokens.reasoning ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
