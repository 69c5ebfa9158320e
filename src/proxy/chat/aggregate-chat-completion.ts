import type {
  ChatChunkEvent,
  ChatChunkMapper,
  ChatCompletionUsage,
  ChatFinishReason,
} from './chat-completion-chunks';
import type { PartReader } from './throw-if-error-before-output';

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    message: {
      role: 'assistant';
      content: string | null;
      refusal: null;
      annotations: [];
      reasoning_content?: string;
      tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
    };
    logprobs: null;
    finish_reason: ChatFinishReason;
  }>;
  usage: ChatCompletionUsage;
}

/**
 * Folds the chunks the parts map to (with `includeUsage`) into the object a non-streaming request gets, so both
 * kinds of request come out of one mapping. Rejects with the first error.
 */
export async function aggregateChatCompletion(
  parts: PartReader,
  mapper: ChatChunkMapper,
): Promise<ChatCompletion> {
  let head: { id: string; created: number; model: string } | undefined;
  let content: string | null = null;
  let reasoning: string | undefined;
  let finishReason: ChatFinishReason = 'stop';
  let usage: ChatCompletionUsage | undefined;
  const toolCalls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> =
    [];

  const fold = (event: ChatChunkEvent) => {
    if (event.type === 'error') throw event.error;
    const { chunk } = event;
    head ??= { id: chunk.id, created: chunk.created, model: chunk.model };
    if (chunk.usage != null) usage = chunk.usage;
    for (const choice of chunk.choices) {
      const { delta } = choice;
      if (delta.content) content = (content ?? '') + delta.content;
      if (delta.reasoning_content) reasoning = (reasoning ?? '') + delta.reasoning_content;
      for (const call of delta.tool_calls ?? []) {
        const existing = toolCalls[call.index];
        if (existing == null) {
          toolCalls[call.index] = {
            id: call.id ?? '',
            type: 'function',
            function: { name: call.function.name ?? '', arguments: call.function.arguments },
          };
        } else {
          existing.function.arguments += call.function.arguments;
        }
      }
      if (choice.finish_reason != null) finishReason = choice.finish_reason;
    }
  };

  try {
    while (true) {
      const { done, value } = await parts.read();
      if (done) break;
      for (const event of mapper.map(value)) fold(event);
    }
    for (const event of mapper.end()) fold(event);
  } catch (error) {
    await parts.cancel().catch(() => {});
    throw error;
  }

  if (head == null || usage == null) {
    throw new Error('The chunk stream ended without chunks or usage; it must be created with includeUsage.');
  }
  return {
    ...head,
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content,
          refusal: null,
          annotations: [],
          ...(reasoning != null ? { reasoning_content: reasoning } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage,
  };
}
