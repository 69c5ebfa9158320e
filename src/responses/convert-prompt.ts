import {
  type LanguageModelV4FilePart,
  type LanguageModelV4Prompt,
  type LanguageModelV4ToolResultOutput,
  type SharedV4Warning,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import {
  convertToBase64,
  getTopLevelMediaType,
  parseProviderOptions,
  resolveFullMediaType,
  stringifyWithBigIntAndCycles,
} from '@ai-sdk/provider-utils';
import { codexReasoningPartOptionsSchema } from './codex-options';
import type {
  CodexFunctionCallOutputItem,
  CodexInputContent,
  CodexInputItem,
  CodexReasoningItem,
  CodexToolOutput,
} from './codex-request';
import { compactionItemOf, dropCompactedHistory } from './compaction';

export type ConvertedPrompt = {
  /** The `instructions` provider option: system messages travel as developer messages. */
  instructions: string | undefined;
  input: CodexInputItem[];
  warnings: SharedV4Warning[];
};

/**
 * Converts an AI SDK prompt into the Codex Responses `input`.
 *
 * System messages become `developer` messages in place, as the Codex CLI sends its instructions (a
 * top-level `instructions` string is reported not to be prompt-cached on the newest models). The
 * backend runs with `store:false`, so history is replayed statelessly: reasoning as encrypted content
 * plus summary, tool calls and their outputs as matching pairs, a compaction in place of the history it
 * summarises. Client ids are added later, once the whole input is known.
 */
export async function convertPrompt({
  prompt,
  instructions,
  customToolNames,
  toolNamespace,
}: {
  prompt: LanguageModelV4Prompt;
  /** `providerOptions.codex.instructions`, sent as the top-level field. */
  instructions?: string;
  /** Tools declared as custom (freeform) tools: their calls replay as `custom_tool_call`. */
  customToolNames: ReadonlySet<string>;
  /** Under Responses Lite, the namespace the caller's tools were declared in: their calls replay in it. */
  toolNamespace?: string;
}): Promise<ConvertedPrompt> {
  const input: CodexInputItem[] = [];
  const warnings: SharedV4Warning[] = [];
  // Reasoning parts of one output item arrive as several parts (one per summary part): merge them.
  const reasoningByItemId = new Map<string, CodexReasoningItem>();
  // Reasoning items still waiting for their encrypted content from a later part.
  const withoutEncryptedContent = new Set<CodexInputItem>();
  // Tool-call ids whose result must be sent as a custom tool output.
  const customCallIds = new Set<string>();

  for (const message of prompt) {
    switch (message.role) {
      case 'system': {
        // The backend rejects `system` items.
        input.push({
          type: 'message',
          role: 'developer',
          content: [{ type: 'input_text', text: message.content }],
        });
        break;
      }

      case 'user': {
        const content: CodexInputContent[] = [];
        for (const [index, part] of message.content.entries()) {
          if (part.type === 'text') {
            content.push({ type: 'input_text', text: part.text });
          } else {
            content.push(convertFilePart(part, index));
          }
        }
        if (content.length > 0) {
          input.push({ type: 'message', role: 'user', content });
        }
        break;
      }

      case 'assistant': {
        for (const part of message.content) {
          switch (part.type) {
            case 'text': {
              if (part.text.length === 0) break;
              const phase = part.providerOptions?.codex?.phase;
              input.push({
                type: 'message',
                role: 'assistant',
                content: [{ type: 'output_text', text: part.text }],
                ...((phase === 'commentary' || phase === 'final_answer') && { phase }),
              });
              break;
            }

            case 'reasoning': {
              const options = await parseProviderOptions({
                provider: 'codex',
                providerOptions: part.providerOptions,
                schema: codexReasoningPartOptionsSchema,
              });
              const encryptedContent = options?.reasoningEncryptedContent;
              const itemId = options?.itemId;
              const existing = itemId != null ? reasoningByItemId.get(itemId) : undefined;

              if (existing != null) {
                if (part.text.length > 0) existing.summary.push({ type: 'summary_text', text: part.text });
                // The last part of an item carries the final encrypted content.
                if (encryptedContent != null) {
                  existing.encrypted_content = encryptedContent;
                  withoutEncryptedContent.delete(existing);
                }
                break;
              }

              // Without an item id, the part must carry its encrypted content itself; with one, a later
              // part of the same item may still bring it (checked once the whole prompt is read).
              if (encryptedContent == null && itemId == null) {
                warnings.push(unreplayableReasoningWarning);
                break;
              }

              const item: CodexReasoningItem = {
                type: 'reasoning',
                summary: part.text.length > 0 ? [{ type: 'summary_text', text: part.text }] : [],
                encrypted_content: encryptedContent ?? '',
              };
              if (encryptedContent == null) withoutEncryptedContent.add(item);
              if (itemId != null) reasoningByItemId.set(itemId, item);
              input.push(item);
              break;
            }

            case 'tool-call': {
              // Hosted tool calls (web search) ran on the backend and cannot be replayed without store.
              if (part.providerExecuted === true) break;

              if (customToolNames.has(part.toolName)) {
                customCallIds.add(part.toolCallId);
                input.push({
                  type: 'custom_tool_call',
                  call_id: part.toolCallId,
                  name: part.toolName,
                  ...(toolNamespace != null && { namespace: toolNamespace }),
                  input:
                    typeof part.input === 'string' ? part.input : stringifyWithBigIntAndCycles(part.input),
                });
              } else {
                input.push({
                  type: 'function_call',
                  call_id: part.toolCallId,
                  name: part.toolName,
                  ...(toolNamespace != null && { namespace: toolNamespace }),
                  arguments: stringifyWithBigIntAndCycles(part.input ?? {}),
                });
              }
              break;
            }

            case 'tool-result':
              // Only provider-executed tools have results inside the assistant message; see above.
              break;

            case 'custom': {
              const compaction = compactionItemOf(part, warnings);
              if (compaction != null) input.push(compaction);
              break;
            }

            default:
              warnings.push({
                type: 'other',
                message: `Assistant ${part.type} parts cannot be sent to the Codex backend and were skipped.`,
              });
          }
        }
        break;
      }

      case 'tool': {
        for (const part of message.content) {
          // Approval responses are settled by the AI SDK itself for client-executed tools.
          if (part.type !== 'tool-result') continue;
          input.push({
            type: customCallIds.has(part.toolCallId) ? 'custom_tool_call_output' : 'function_call_output',
            call_id: part.toolCallId,
            output: convertToolOutput(part.output, warnings),
          });
        }
        break;
      }
    }
  }

  const replayable = input.filter(item => {
    if (!withoutEncryptedContent.has(item)) return true;
    warnings.push(unreplayableReasoningWarning);
    return false;
  });

  return {
    instructions,
    input: pairToolCalls(dropCompactedHistory(replayable), warnings),
    warnings,
  };
}

const unreplayableReasoningWarning: SharedV4Warning = {
  type: 'other',
  message:
    'A reasoning part without Codex encrypted content cannot be replayed to the Codex backend and was skipped.',
};

function convertFilePart(part: LanguageModelV4FilePart, index: number): CodexInputContent {
  const topLevel = getTopLevelMediaType(part.mediaType);
  const data = part.data;

  if (data.type === 'text') {
    return { type: 'input_text', text: data.text };
  }
  if (data.type === 'reference') {
    throw new UnsupportedFunctionalityError({
      functionality: 'file references (the Codex backend has no file storage; pass the bytes or a URL)',
    });
  }

  if (topLevel === 'image') {
    const detail = part.providerOptions?.codex?.imageDetail;
    return {
      type: 'input_image',
      image_url:
        data.type === 'url'
          ? data.url.toString()
          : `data:${resolveFullMediaType({ part })};base64,${convertToBase64(data.data)}`,
      ...((detail === 'auto' || detail === 'low' || detail === 'high' || detail === 'original') && {
        detail,
      }),
    };
  }

  if (part.mediaType === 'application/pdf') {
    return data.type === 'url'
      ? { type: 'input_file', file_url: data.url.toString() }
      : {
          type: 'input_file',
          filename: part.filename ?? `part-${index}.pdf`,
          file_data: `data:application/pdf;base64,${convertToBase64(data.data)}`,
        };
  }

  throw new UnsupportedFunctionalityError({
    functionality: `file part media type ${part.mediaType} (the Codex backend accepts images and PDFs)`,
  });
}

function convertToolOutput(
  output: LanguageModelV4ToolResultOutput,
  warnings: SharedV4Warning[],
): CodexToolOutput {
  switch (output.type) {
    case 'text':
      return output.value;
    case 'json':
      return stringifyWithBigIntAndCycles(output.value);
    case 'error-text':
    case 'error-json':
      return stringifyWithBigIntAndCycles({ error: output.value });
    case 'execution-denied':
      return output.reason ?? 'Tool call execution denied.';
    case 'content': {
      const content: CodexInputContent[] = [];
      for (const [index, item] of output.value.entries()) {
        if (item.type === 'text') {
          content.push({ type: 'input_text', text: item.text });
        } else if (item.type === 'file') {
          content.push(convertFilePart(item, index));
        } else {
          warnings.push({
            type: 'other',
            message: 'A custom tool-result content part cannot be sent to the Codex backend and was skipped.',
          });
        }
      }
      return content;
    }
  }
}

/**
 * The backend rejects orphans: every call needs its output and every output its call. As the Codex
 * CLI does, a call without output gets a synthetic "aborted" output and an output without call is
 * dropped.
 */
function pairToolCalls(input: CodexInputItem[], warnings: SharedV4Warning[]): CodexInputItem[] {
  const callIds = new Set<string>();
  const outputIds = new Set<string>();
  for (const item of input) {
    if (item.type === 'function_call' || item.type === 'custom_tool_call') callIds.add(item.call_id);
    else if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output')
      outputIds.add(item.call_id);
  }

  let paired = true;
  for (const id of callIds) if (!outputIds.has(id)) paired = false;
  for (const id of outputIds) if (!callIds.has(id)) paired = false;
  if (paired) return input;

  const result: CodexInputItem[] = [];
  for (const item of input) {
    if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') {
      if (!callIds.has(item.call_id)) {
        warnings.push({
          type: 'other',
          message: `The tool result for call ${item.call_id} has no matching tool call and was not sent.`,
        });
        continue;
      }
    }
    result.push(item);
    if ((item.type === 'function_call' || item.type === 'custom_tool_call') && !outputIds.has(item.call_id)) {
      warnings.push({
        type: 'other',
        message: `The tool call ${item.call_id} has no result; it was sent with the output "aborted".`,
      });
      const output: CodexFunctionCallOutputItem = {
        type: item.type === 'custom_tool_call' ? 'custom_tool_call_output' : 'function_call_output',
        call_id: item.call_id,
        output: 'aborted',
      };
      result.push(output);
    }
  }
  return result;
}
