import { createIdGenerator } from '@ai-sdk/provider-utils';
import { ProxyError } from '../proxy-error';

type JsonObject = Record<string, unknown>;

interface StoredResponse {
  /** The Response object as the client received it. */
  response: JsonObject;
  /** The whole input the response was made from, references resolved. */
  input: JsonObject[];
  /** The ids `input_items` lists the input under: the item's own, else one given when it was kept. */
  inputIds: string[];
  output: JsonObject[];
  size: number;
}

const generateMessageId = createIdGenerator({ prefix: 'msg', separator: '_', size: 24 });
const generateItemId = createIdGenerator({ prefix: 'item', separator: '_', size: 24 });

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

  /**
   * Remembers a completed response, so that later requests can refer to it and to its items, and clients
   * can retrieve it and list its input.
   */
  remember(response: JsonObject & { id: string; output: JsonObject[] }, input: JsonObject[]): void {
    const { id: responseId, output } = response;
    const size = JSON.stringify(response).length + JSON.stringify(input).length;
    if (size > this.maxBytes) return;
    this.delete(responseId);
    const inputIds = input.map(item =>
      typeof item.id === 'string'
        ? item.id
        : item.type === 'message'
          ? generateMessageId()
          : generateItemId(),
    );
    this.responses.set(responseId, { response, input, inputIds, output, size });
    this.size += size;
    for (const item of [...input, ...output]) {
      if (typeof item.id === 'string') this.items.set(item.id, { item, responseId });
    }
    for (const oldest of this.responses.keys()) {
      if (this.size <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  /** The kept Response object, or `undefined` if it was never kept, deleted or forgotten. */
  get(responseId: string): JsonObject | undefined {
    return this.responses.get(responseId)?.response;
  }

  /** The input items of a kept response, in input order, each with an `id`. */
  inputItems(responseId: string): JsonObject[] | undefined {
    const stored = this.responses.get(responseId);
    return stored?.input.map((item, index) => ({ id: stored.inputIds[index], ...item }));
  }

  /** Forgets a response and its items; returns whether it was kept. */
  delete(responseId: string): boolean {
    const stored = this.responses.get(responseId);
    if (stored == null) return false;
    this.responses.delete(responseId);
    this.size -= stored.size;
    for (const item of [...stored.input, ...stored.output]) {
      if (typeof item.id === 'string' && this.items.get(item.id)?.responseId === responseId)
        this.items.delete(item.id);
    }
    return true;
  }
}
