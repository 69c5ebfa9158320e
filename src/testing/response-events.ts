import { randomBytes } from 'node:crypto';
import type { StreamControls } from './scripting';

/** A `url_citation` annotation on a message. Without indices it covers the whole text. */
export interface UrlCitation {
  url: string;
  title?: string;
  startIndex?: number;
  endIndex?: number;
}

/** An assistant message. `chunks` sets the `output_text.delta`s (default: word by word). */
export interface MessageItemSpec {
  type: 'message';
  text: string;
  id?: string;
  phase?: 'commentary' | 'final_answer';
  citations?: UrlCitation[];
  chunks?: string[];
}

/** A reasoning item with summary parts; `encryptedContent: null` sends none. */
export interface ReasoningItemSpec {
  type: 'reasoning';
  summary: string[];
  id?: string;
  encryptedContent?: string | null;
}

/** A function call. Object arguments are JSON-encoded; `chunks` sets the argument deltas. */
export interface FunctionCallItemSpec {
  type: 'function_call';
  name: string;
  /** The `namespace` of a Responses Lite tool (`functions` for the caller's own tools). */
  namespace?: string;
  arguments: string | Record<string, unknown>;
  callId?: string;
  id?: string;
  chunks?: string[];
}

/** A custom (freeform) tool call such as `apply_patch`. */
export interface CustomToolCallItemSpec {
  type: 'custom_tool_call';
  name: string;
  input: string;
  callId?: string;
  id?: string;
  chunks?: string[];
}

/** A hosted web search call. */
export interface WebSearchCallItemSpec {
  type: 'web_search_call';
  query: string;
  sources?: string[];
  id?: string;
}

/**
 * A `compaction` item (remote compaction v2): the backend's encrypted summary of the conversation before
 * it, which a client sends back in place of that history.
 */
export interface CompactionItemSpec {
  type: 'compaction';
  id?: string;
  encryptedContent?: string;
}

export type OutputItemSpec =
  | MessageItemSpec
  | ReasoningItemSpec
  | FunctionCallItemSpec
  | CustomToolCallItemSpec
  | WebSearchCallItemSpec
  | CompactionItemSpec;

/** Token usage reported in `response.completed`; missing fields are estimated from the request and output. */
export interface TurnUsage {
  inputTokens?: number;
  cachedTokens?: number;
  outputTokens?: number;
  reasoningTokens?: number;
}

/** How the turn ends. */
export type TurnOutcome =
  | { status: 'completed' }
  | { status: 'incomplete'; reason: string }
  | { status: 'failed'; code: string; message: string };

/**
 * A whole model turn, expanded into the backend's event sequence when sent (so `response.created`
 * echoes the request's model and parameters): `response.created`, `response.in_progress`, per item
 * `output_item.added` → deltas → `output_item.done`, then `response.completed` (or `.failed`/`.incomplete`).
 */
export interface ScriptedTurn extends StreamControls {
  type: 'turn';
  output: OutputItemSpec[];
  outcome?: TurnOutcome;
  usage?: TurnUsage;
  /** Model reported in the response. Default: the request's `model`. */
  model?: string;
  responseId?: string;
}

/** Options shared by the turn builders. */
export interface TurnOptions extends StreamControls {
  usage?: TurnUsage;
  model?: string;
  responseId?: string;
  /** Prepends a reasoning item with these summary parts. */
  reasoning?: string | string[];
}

type Json = Record<string, unknown>;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const callIdChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An id of the live backend's shape, e.g. `msg_0a63f4…` (prefix + 50 hex chars). */
export function itemId(prefix: string): string {
  return `${prefix}_${hex(25)}`;
}

/** A `call_…` id of the live backend's shape. */
export function callId(): string {
  const bytes = randomBytes(24);
  return `call_${Array.from(bytes, b => callIdChars[b % callIdChars.length]).join('')}`;
}

/** A stand-in for `encrypted_content`: opaque, Fernet-looking, not decryptable. */
export function fakeEncryptedContent(): string {
  return `gAAAAA${randomBytes(96).toString('base64url')}`;
}

/** Splits text into word-sized deltas (`"Hello"`, `" world"`), as the live stream does. */
export function splitIntoDeltas(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** Rough token count (4 characters per token), for usage estimates. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

// ---- item builders ----------------------------------------------------------------------------

export const messageItem = (
  text: string,
  options: Omit<MessageItemSpec, 'type' | 'text'> = {},
): MessageItemSpec => ({
  type: 'message',
  text,
  ...options,
});

export const reasoningItem = (
  summary: string | string[],
  options: Omit<ReasoningItemSpec, 'type' | 'summary'> = {},
): ReasoningItemSpec => ({
  type: 'reasoning',
  summary: typeof summary === 'string' ? [summary] : summary,
  ...options,
});

export const functionCallItem = (
  name: string,
  args: string | Record<string, unknown>,
  options: Omit<FunctionCallItemSpec, 'type' | 'name' | 'arguments'> = {},
): FunctionCallItemSpec => ({ type: 'function_call', name, arguments: args, ...options });

export const customToolCallItem = (
  name: string,
  input: string,
  options: Omit<CustomToolCallItemSpec, 'type' | 'name' | 'input'> = {},
): CustomToolCallItemSpec => ({ type: 'custom_tool_call', name, input, ...options });

export const webSearchCallItem = (
  query: string,
  options: Omit<WebSearchCallItemSpec, 'type' | 'query'> = {},
): WebSearchCallItemSpec => ({ type: 'web_search_call', query, ...options });

export const compactionItem = (options: Omit<CompactionItemSpec, 'type'> = {}): CompactionItemSpec => ({
  type: 'compaction',
  ...options,
});

// ---- turn builders ----------------------------------------------------------------------------

/** Any sequence of output items as one turn. */
export function turn(
  output: OutputItemSpec[],
  options: TurnOptions & { outcome?: TurnOutcome } = {},
): ScriptedTurn {
  const { reasoning, ...rest } = options;
  const items = reasoning === undefined ? output : [reasoningItem(reasoning), ...output];
  return { type: 'turn', output: items, ...rest };
}

/** A turn that answers with text. */
export function textTurn(
  text: string,
  options: TurnOptions & { phase?: MessageItemSpec['phase'] } = {},
): ScriptedTurn {
  const { phase, ...rest } = options;
  return turn([messageItem(text, phase ? { phase } : {})], rest);
}

/** A turn with a reasoning item (summary deltas, `encrypted_content`) and then text. */
export function reasoningTurn(
  summary: string | string[],
  text: string,
  options: TurnOptions = {},
): ScriptedTurn {
  return turn([messageItem(text)], { ...options, reasoning: summary });
}

/** A function call to make, for {@link functionCallTurn}. */
export interface FunctionCallSpec {
  name: string;
  /** The `namespace` of a Responses Lite tool (`functions` for the caller's own tools). */
  namespace?: string;
  arguments: string | Record<string, unknown>;
  callId?: string;
}

/** A turn that calls one function, or several in parallel (arguments streamed as deltas). */
export function functionCallTurn(
  calls: FunctionCallSpec | FunctionCallSpec[],
  options: TurnOptions = {},
): ScriptedTurn {
  const list = Array.isArray(calls) ? calls : [calls];
  return turn(
    list.map(call =>
      functionCallItem(call.name, call.arguments, {
        ...(call.callId ? { callId: call.callId } : {}),
        ...(call.namespace ? { namespace: call.namespace } : {}),
      }),
    ),
    options,
  );
}

/** A turn that calls a custom (freeform) tool, e.g. `apply_patch`. */
export function customToolCallTurn(
  call: { name: string; input: string; callId?: string },
  options: TurnOptions = {},
): ScriptedTurn {
  return turn(
    [customToolCallItem(call.name, call.input, call.callId ? { callId: call.callId } : {})],
    options,
  );
}

/** A turn that searches the web and answers with `url_citation` annotations. */
export function webSearchTurn(
  search: { query: string; text: string; citations: UrlCitation[]; sources?: string[] },
  options: TurnOptions = {},
): ScriptedTurn {
  return turn(
    [
      webSearchCallItem(search.query, { sources: search.sources ?? search.citations.map(c => c.url) }),
      messageItem(search.text, { citations: search.citations }),
    ],
    options,
  );
}

/** The answer to a `compaction_trigger`: one `compaction` item. */
export function compactionTurn(options: TurnOptions & Omit<CompactionItemSpec, 'type'> = {}): ScriptedTurn {
  const { id, encryptedContent, ...rest } = options;
  return turn(
    [compactionItem({ ...(id != null && { id }), ...(encryptedContent != null && { encryptedContent }) })],
    rest,
  );
}

/** A turn that ends with `response.failed` (e.g. `context_length_exceeded`, `rate_limit_exceeded`). */
export function failedTurn(
  error: { code: string; message: string },
  options: TurnOptions & { output?: OutputItemSpec[] } = {},
): ScriptedTurn {
  const { output = [], ...rest } = options;
  return turn(output, { ...rest, outcome: { status: 'failed', ...error } });
}

/** A turn that ends with `response.incomplete` (e.g. reason `max_output_tokens`), optionally after partial text. */
export function incompleteTurn(reason: string, options: TurnOptions & { text?: string } = {}): ScriptedTurn {
  const { text, ...rest } = options;
  return turn(text === undefined ? [] : [messageItem(text)], {
    ...rest,
    outcome: { status: 'incomplete', reason },
  });
}

// ---- expansion into events --------------------------------------------------------------------

/** What the expansion takes from the request being answered. */
export interface TurnContext {
  /** The decoded request body (a JSON object), echoed in the response object. */
  request: Json;
  /** Unix seconds. */
  now: number;
  /** Input tokens already cached for this prompt (estimated by the emulator). */
  cachedTokens?: number;
}

const REQUEST_ECHO_FIELDS = [
  'instructions',
  'parallel_tool_calls',
  'prompt_cache_key',
  'reasoning',
  'service_tier',
  'store',
  'text',
  'tool_choice',
  'tools',
] as const;

/** Expands a scripted turn into the exact list of SSE event objects the backend would send. */
export function expandTurn(scripted: ScriptedTurn, context: TurnContext): Json[] {
  const events: Json[] = [];
  const emit = (type: string, fields: Json) => {
    events.push({ type, sequence_number: events.length, ...fields });
  };
  const model =
    scripted.model ?? (typeof context.request.model === 'string' ? context.request.model : 'gpt-5.5');
  const echo: Json = {};
  for (const field of REQUEST_ECHO_FIELDS) {
    if (context.request[field] !== undefined) echo[field] = context.request[field];
  }
  const base: Json = {
    id: scripted.responseId ?? itemId('resp'),
    object: 'response',
    created_at: context.now,
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    model,
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    store: false,
    tool_choice: 'auto',
    tools: [],
    usage: null,
    metadata: {},
    ...echo,
  };
  emit('response.created', { response: base });
  emit('response.in_progress', { response: base });

  const done: Json[] = [];
  scripted.output.forEach((spec, outputIndex) => {
    done.push(expandItem(spec, outputIndex, emit));
  });

  const outcome = scripted.outcome ?? { status: 'completed' };
  const usage = usageOf(scripted, done, context);
  if (outcome.status === 'failed') {
    emit('response.failed', {
      response: {
        ...base,
        status: 'failed',
        error: { code: outcome.code, message: outcome.message },
        output: done,
        usage: null,
      },
    });
  } else if (outcome.status === 'incomplete') {
    emit('response.incomplete', {
      response: {
        ...base,
        status: 'incomplete',
        incomplete_details: { reason: outcome.reason },
        output: done,
        usage,
      },
    });
  } else {
    emit('response.completed', {
      response: { ...base, status: 'completed', completed_at: context.now, output: done, usage },
    });
  }
  return events;
}

function expandItem(
  spec: OutputItemSpec,
  outputIndex: number,
  emit: (type: string, fields: Json) => void,
): Json {
  switch (spec.type) {
    case 'message': {
      const id = spec.id ?? itemId('msg');
      const phase = spec.phase ? { phase: spec.phase } : {};
      const citations = (spec.citations ?? []).map(c => ({
        type: 'url_citation',
        start_index: c.startIndex ?? 0,
        end_index: c.endIndex ?? spec.text.length,
        title: c.title ?? c.url,
        url: c.url,
      }));
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { id, type: 'message', status: 'in_progress', content: [], ...phase, role: 'assistant' },
      });
      const part = { type: 'output_text', annotations: [], logprobs: [], text: '' };
      emit('response.content_part.added', { item_id: id, output_index: outputIndex, content_index: 0, part });
      let sent = 0;
      let annotationIndex = 0;
      const emitAnnotationsUpTo = (length: number) => {
        while (annotationIndex < citations.length && citations[annotationIndex]!.end_index <= length) {
          emit('response.output_text.annotation.added', {
            item_id: id,
            output_index: outputIndex,
            content_index: 0,
            annotation_index: annotationIndex,
            annotation: citations[annotationIndex],
          });
          annotationIndex += 1;
        }
      };
      for (const delta of spec.chunks ?? splitIntoDeltas(spec.text)) {
        emit('response.output_text.delta', {
          item_id: id,
          output_index: outputIndex,
          content_index: 0,
          delta,
          logprobs: [],
        });
        sent += delta.length;
        emitAnnotationsUpTo(sent);
      }
      emitAnnotationsUpTo(Number.POSITIVE_INFINITY);
      emit('response.output_text.done', {
        item_id: id,
        output_index: outputIndex,
        content_index: 0,
        text: spec.text,
        logprobs: [],
      });
      const finalPart = { type: 'output_text', annotations: citations, logprobs: [], text: spec.text };
      emit('response.content_part.done', {
        item_id: id,
        output_index: outputIndex,
        content_index: 0,
        part: finalPart,
      });
      const item = {
        id,
        type: 'message',
        status: 'completed',
        content: [finalPart],
        ...phase,
        role: 'assistant',
      };
      emit('response.output_item.done', { output_index: outputIndex, item });
      return item;
    }
    case 'reasoning': {
      const id = spec.id ?? itemId('rs');
      const encrypted = spec.encryptedContent === undefined ? fakeEncryptedContent() : spec.encryptedContent;
      const encryptedField = encrypted === null ? {} : { encrypted_content: encrypted };
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { id, type: 'reasoning', ...encryptedField, summary: [] },
      });
      spec.summary.forEach((text, summaryIndex) => {
        const ids = { item_id: id, output_index: outputIndex, summary_index: summaryIndex };
        emit('response.reasoning_summary_part.added', { ...ids, part: { type: 'summary_text', text: '' } });
        for (const delta of splitIntoDeltas(text))
          emit('response.reasoning_summary_text.delta', { ...ids, delta });
        emit('response.reasoning_summary_text.done', { ...ids, text });
        emit('response.reasoning_summary_part.done', { ...ids, part: { type: 'summary_text', text } });
      });
      const item = {
        id,
        type: 'reasoning',
        ...encryptedField,
        summary: spec.summary.map(text => ({ type: 'summary_text', text })),
      };
      emit('response.output_item.done', { output_index: outputIndex, item });
      return item;
    }
    case 'function_call': {
      const id = spec.id ?? itemId('fc');
      const args = typeof spec.arguments === 'string' ? spec.arguments : JSON.stringify(spec.arguments);
      const call = {
        call_id: spec.callId ?? callId(),
        name: spec.name,
        ...(spec.namespace ? { namespace: spec.namespace } : {}),
      };
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { id, type: 'function_call', status: 'in_progress', arguments: '', ...call },
      });
      for (const delta of spec.chunks ?? chunkString(args, 8)) {
        emit('response.function_call_arguments.delta', { item_id: id, output_index: outputIndex, delta });
      }
      emit('response.function_call_arguments.done', {
        item_id: id,
        output_index: outputIndex,
        arguments: args,
      });
      const item = { id, type: 'function_call', status: 'completed', arguments: args, ...call };
      emit('response.output_item.done', { output_index: outputIndex, item });
      return item;
    }
    case 'custom_tool_call': {
      const id = spec.id ?? itemId('ctc');
      const call = { call_id: spec.callId ?? callId(), name: spec.name };
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { type: 'custom_tool_call', id, status: 'in_progress', ...call, input: '' },
      });
      for (const delta of spec.chunks ?? chunkString(spec.input, 16)) {
        emit('response.custom_tool_call_input.delta', { item_id: id, output_index: outputIndex, delta });
      }
      emit('response.custom_tool_call_input.done', {
        item_id: id,
        output_index: outputIndex,
        input: spec.input,
      });
      const item = { type: 'custom_tool_call', id, status: 'completed', ...call, input: spec.input };
      emit('response.output_item.done', { output_index: outputIndex, item });
      return item;
    }
    case 'web_search_call': {
      const id = spec.id ?? itemId('ws');
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { id, type: 'web_search_call', status: 'in_progress' },
      });
      for (const phase of ['in_progress', 'searching', 'completed']) {
        emit(`response.web_search_call.${phase}`, { output_index: outputIndex, item_id: id });
      }
      const item = {
        id,
        type: 'web_search_call',
        status: 'completed',
        action: {
          type: 'search',
          query: spec.query,
          sources: (spec.sources ?? []).map(url => ({ type: 'url', url })),
        },
      };
      emit('response.output_item.done', { output_index: outputIndex, item });
      return item;
    }
    case 'compaction': {
      const id = spec.id ?? itemId('cmp');
      emit('response.output_item.added', { output_index: outputIndex, item: { id, type: 'compaction' } });
      const item = {
        id,
        type: 'compaction',
        encrypted_content: spec.encryptedContent ?? fakeEncryptedContent(),
      };
      emit('response.output_item.done', { output_index: outputIndex, item });
      return item;
    }
  }
}

function chunkString(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

function usageOf(scripted: ScriptedTurn, items: Json[], context: TurnContext) {
  const given = scripted.usage ?? {};
  let outputText = '';
  let reasoningTokens = 0;
  for (const item of items) {
    if (item.type === 'reasoning') reasoningTokens += 64;
    else outputText += JSON.stringify(item.content ?? item.arguments ?? item.input ?? item.action ?? '');
  }
  const inputTokens = given.inputTokens ?? estimateTokens(JSON.stringify(context.request.input ?? ''));
  const reasoning = given.reasoningTokens ?? reasoningTokens;
  const outputTokens = given.outputTokens ?? estimateTokens(outputText) + reasoning;
  const cachedTokens = Math.min(given.cachedTokens ?? context.cachedTokens ?? 0, inputTokens);
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: cachedTokens },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: inputTokens + outputTokens,
  };
}
