type Json = Record<string, unknown>;

/** What a connection remembers of its last completed request, to continue from it. */
export interface PreviousResponse {
  /** The backend's id of the response, sent back as `previous_response_id`. */
  responseId: string;
  /**
   * The request's fields other than `input` and `client_metadata`, serialized: a change (tools, model,
   * options) resends everything.
   */
  fields: string;
  /** The request's whole input, each item serialized. */
  input: string[];
  /** The output items of the response, as the backend sent them. */
  output: Json[];
}

/**
 * Serializes a request body's fields other than `input`, in a stable order. `client_metadata` is left out:
 * it tells the backend about the request, not the conversation, and the Codex CLI (through the proxy) sends
 * a new timestamp in it with every request.
 */
export function serializeFields(body: Json): string {
  const { input: _input, client_metadata: _metadata, ...fields } = body;
  return JSON.stringify(fields);
}

const textOf = (content: unknown): string =>
  Array.isArray(content)
    ? content.map(part => (typeof part?.text === 'string' ? (part.text as string) : '')).join('')
    : '';

/** Items the model wrote: replayed by the AI SDK in the next prompt, already known to the backend. */
function isModelItem(item: Json): boolean {
  return (
    item.type === 'reasoning' ||
    item.type === 'function_call' ||
    item.type === 'custom_tool_call' ||
    (item.type === 'message' && item.role === 'assistant')
  );
}

/** Whether `replayed` (an item of the new prompt) is the prompt's copy of `output` (an item the backend sent). */
function replays(replayed: Json, output: Json): boolean {
  if (replayed.type !== output.type) return false;
  switch (replayed.type) {
    case 'reasoning':
      return replayed.encrypted_content != null && replayed.encrypted_content === output.encrypted_content;
    case 'function_call':
      return (
        replayed.call_id === output.call_id &&
        replayed.name === output.name &&
        replayed.arguments === output.arguments
      );
    case 'custom_tool_call':
      return (
        replayed.call_id === output.call_id &&
        replayed.name === output.name &&
        replayed.input === output.input
      );
    case 'message':
      return textOf(replayed.content) === textOf(output.content);
    default:
      return false;
  }
}

/** Output items a prompt must replay for the conversation to be the one the backend continues. */
function mustBeReplayed(item: Json): boolean {
  return isModelItem(item) && !(item.type === 'reasoning' && item.encrypted_content == null);
}

/**
 * The items to send with `previous_response_id` instead of the whole input, when the new request
 * continues the previous one: the same fields, its input as the previous input, then the previous
 * response's output (as the prompt replays it), then new items. Undefined when it does not (the whole
 * input must be sent).
 */
export function incrementalInput(
  previous: PreviousResponse | undefined,
  fields: string,
  input: readonly Json[],
  serializedInput: readonly string[],
): Json[] | undefined {
  if (previous == null || previous.fields !== fields) return undefined;
  const known = previous.input.length;
  if (serializedInput.length <= known) return undefined;
  for (let i = 0; i < known; i++) if (serializedInput[i] !== previous.input[i]) return undefined;

  // The model's items that follow are the prompt's copy of the response's output, in any order.
  let next = known;
  const unmatched = [...previous.output];
  while (next < input.length && isModelItem(input[next]!)) {
    const index = unmatched.findIndex(output => replays(input[next]!, output));
    if (index === -1) return undefined;
    unmatched.splice(index, 1);
    next++;
  }
  if (unmatched.some(mustBeReplayed) || next === input.length) return undefined;
  return input.slice(next) as Json[];
}
