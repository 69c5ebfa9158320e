import { ProxyError } from '../proxy-error';

type JsonObject = Record<string, unknown>;

interface StoredResponse {
  /** The whole input the response was made from, references resolved. */
  input: JsonObject[];
  output: JsonObject[];
  size: number;
}

/**
 * The conversation state OpenAI keeps for `store: true` responses, kept in memory by the proxy because the
 * Codex backend keeps none: clients such as `@ai-sdk/openai` send `item_reference`s to earlier output items
 * and `previous_response_id` to continue a response. Oldest responses are forgotten first once the store
 * holds more than `maxBytes` of JSON.
 */
export class ResponseStore {
  private readonly responses = new Map<string, StoredResponse>();
  private readonly items = new Map<string, { item: JsonObject; responseId: string }>();
  private size = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /**
   * The input to send: the input and output of `previousResponseId` first, then `input` with every
   * `item_reference` replaced by the item it names.
   */
  resolveInput(input: JsonObject[], previousResponseId?: string | null): JsonObject[] {
    const resolved: JsonObject[] = [];
    if (previousResponseId != null) {
      const previous = this.responses.get(previousResponseId);
      if (previous == null) {
        throw new ProxyError({
          message: `Previous response with id '${previousResponseId}' not found. The proxy keeps recent responses in memory only (the Codex backend stores none): it may have restarted. Send the whole conversation in input.`,
          param: 'previous_response_id',
          code: 'previous_response_not_found',
        });
      }
      resolved.push(...previous.input, ...previous.output);
    }
    input.forEach((item, index) => {
      if (item.type !== 'item_reference') {
        resolved.push(item);
        return;
      }
      const stored = typeof item.id === 'string' ? this.items.get(item.id) : undefined;
      if (stored == null) {
        throw new ProxyError({
          message: `Item with id '${String(item.id)}' not found. The proxy keeps the items of recent responses in memory only (the Codex backend stores none): send the item itself.`,
          param: `input[${index}]`,
          code: 'item_not_found',
        });
      }
      resolved.push(stored.item);
    });
    return resolved;
  }

  /** Remembers a completed response, so that later requests can refer to it and to its items. */
  remember(responseId: string, input: JsonObject[], output: JsonObject[]): void {
    const size = JSON.stringify(input).length + JSON.stringify(output).length;
    if (size > this.maxBytes) return;
    this.forget(responseId);
    this.responses.set(responseId, { input, output, size });
    this.size += size;
    for (const item of [...input, ...output]) {
      if (typeof item.id === 'string') this.items.set(item.id, { item, responseId });
    }
    for (const oldest of this.responses.keys()) {
      if (this.size <= this.maxBytes) break;
      this.forget(oldest);
    }
  }

  private forget(responseId: string): void {
    const stored = this.responses.get(responseId);
    if (stored == null) return;
    this.responses.delete(responseId);
    this.size -= stored.size;
    for (const item of [...stored.input, ...stored.output]) {
      if (typeof item.id === 'string' && this.items.get(item.id)?.responseId === responseId)
        this.items.delete(item.id);
    }
  }
}
