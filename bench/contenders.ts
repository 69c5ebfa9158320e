import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import type { FetchFunction } from '@ai-sdk/provider-utils';
import { getModel } from '@mariozechner/pi-ai';
import { streamOpenAICodexResponses } from '@mariozechner/pi-ai/openai-codex-responses';
import { createCodex } from 'ai-sdk-provider-codex';
import { createParser } from 'eventsource-parser';

/**
 * The ways of turning Responses SSE bytes into stream events that the benchmarks compare: (a) this provider,
 * (b) `@ai-sdk/openai`'s Responses model (what users wire by hand today), (c) pi-ai's `openai-codex`
 * provider, (d) the floor: eventsource-parser + JSON.parse and nothing else, (e) the contract floor: the
 * same parse plus what the AI SDK's contract asks of every provider, one part object per event through a
 * `ReadableStream` its caller reads. (a) is judged against (e); (c) and (d) are references.
 */
export type ContenderId = 'a' | 'b' | 'c' | 'd' | 'e';

export const CONTENDER_IDS: readonly ContenderId[] = ['a', 'b', 'c', 'd', 'e'];

export const CONTENDER_NAMES: Record<ContenderId, string> = {
  a: 'ai-sdk-provider-codex',
  b: '@ai-sdk/openai (Responses)',
  c: 'pi-ai openai-codex',
  d: 'floor: eventsource-parser + JSON.parse',
  e: 'contract floor: the same parse, one part per event through a ReadableStream',
};

/** Where a contender sends its request and how it authenticates. */
export interface Endpoint {
  /** `…/backend-api/codex` */
  baseURL: string;
  accessToken: string;
  accountId: string;
  /** Every HTTP request of the contender goes through it. */
  fetch: FetchFunction;
}

/**
 * Reads one response to its end; resolves with the number of events or parts it produced. `onFirstText`
 * is called at the first text delta; reading then waits for `hold`, if given (for (a) and (b)).
 */
export type Consume = (options?: { onFirstText?: () => void; hold?: Promise<void> }) => Promise<number>;

export const prompt: LanguageModelV4CallOptions['prompt'] = [
  { role: 'user', content: [{ type: 'text', text: 'What is the weather like?' }] },
];

async function readParts(
  model: LanguageModelV4,
  options: LanguageModelV4CallOptions,
  onFirstText?: () => void,
  hold?: Promise<void>,
) {
  let result: Awaited<ReturnType<LanguageModelV4['doStream']>>;
  try {
    result = await model.doStream(options);
  } catch {
    // An error frame before any output is thrown by (a) and (b): that is their whole answer.
    return 1;
  }
  const reader = result.stream.getReader();
  let parts = 0;
  let waiting = onFirstText != null;
  while (true) {
    const { done, value } = await reader.read();
    if (done) return parts;
    parts++;
    if (waiting && value.type === 'text-delta') {
      waiting = false;
      onFirstText!();
      await hold;
    }
  }
}

/** (a) This provider's `doStream`. */
export function codexContender(endpoint: Endpoint): Consume {
  const model = createCodex({
    baseURL: endpoint.baseURL,
    auth: { accessToken: endpoint.accessToken, accountId: endpoint.accountId },
    fetch: endpoint.fetch,
  }).languageModel('gpt-5.5');
  return options => readParts(model, { prompt }, options?.onFirstText, options?.hold);
}

/** (b) `@ai-sdk/openai`'s Responses model pointed at the Codex backend, as users configure it by hand. */
export function openaiContender(endpoint: Endpoint): Consume {
  const model = createOpenAI({
    baseURL: endpoint.baseURL,
    apiKey: endpoint.accessToken,
    headers: { 'chatgpt-account-id': endpoint.accountId },
    fetch: endpoint.fetch,
  }).responses('gpt-5.5');
  const providerOptions = { openai: { store: false, instructions: 'You are a helpful assistant.' } };
  return options => readParts(model, { prompt, providerOptions }, options?.onFirstText, options?.hold);
}

/**
 * (c) pi-ai's `openai-codex` provider over SSE. It calls the global `fetch`, so that is swapped for the
 * endpoint's while it runs (runs never overlap).
 */
export function piContender(endpoint: Endpoint): Consume {
  const model = { ...getModel('openai-codex', 'gpt-5.5'), baseUrl: endpoint.baseURL.replace(/\/codex$/, '') };
  const context = {
    messages: [{ role: 'user' as const, content: 'What is the weather like?', timestamp: 0 }],
  };
  return async options => {
    const globalFetch = globalThis.fetch;
    globalThis.fetch = endpoint.fetch as typeof fetch;
    try {
      let events = 0;
      let waiting = options?.onFirstText != null;
      for await (const event of streamOpenAICodexResponses(model, context, {
        apiKey: endpoint.accessToken,
        transport: 'sse',
      })) {
        events++;
        if (waiting && event.type === 'text_delta') {
          waiting = false;
          options!.onFirstText!();
        }
      }
      return events;
    } finally {
      globalThis.fetch = globalFetch;
    }
  };
}

/** The request every floor sends: the same bytes come back whatever it asks. */
function floorRequest(endpoint: Endpoint): Promise<Response> {
  return endpoint.fetch(`${endpoint.baseURL}/responses`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${endpoint.accessToken}`,
      'chatgpt-account-id': endpoint.accountId,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ model: 'gpt-5.5', stream: true, store: false, instructions: '', input: [] }),
  });
}

/** (d) The floor: fetch the same bytes, split them into SSE events and `JSON.parse` each one. */
export function floorContender(endpoint: Endpoint): Consume {
  return async options => {
    const response = await floorRequest(endpoint);
    let events = 0;
    let waiting = options?.onFirstText != null;
    const parser = createParser({
      onEvent(event) {
        if (event.data === '[DONE]') return;
        const value = JSON.parse(event.data) as { type: string };
        events++;
        if (waiting && value.type === 'response.output_text.delta') {
          waiting = false;
          options!.onFirstText!();
        }
      },
    });
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) return events;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  };
}

/**
 * (e) The contract floor: the floor's parse, and one part object per event enqueued into a `ReadableStream`
 * that the caller reads part by part, as `doStream` must return; no mapping beyond that.
 */
export function contractFloorContender(endpoint: Endpoint): Consume {
  return async options => {
    const response = await floorRequest(endpoint);
    const body = response.body!.getReader();
    const decoder = new TextDecoder();
    type Part = { type: 'raw'; rawValue: { type: string } };
    let enqueue: (part: Part) => void = () => {};
    const parser = createParser({
      onEvent(event) {
        if (event.data !== '[DONE]') enqueue({ type: 'raw', rawValue: JSON.parse(event.data) });
      },
    });
    // Pulled like a provider's stream: a chunk of bytes is read when the caller wants a part.
    const parts = new ReadableStream<Part>({
      start(controller) {
        enqueue = part => controller.enqueue(part);
      },
      async pull(controller) {
        const { done, value } = await body.read();
        if (done) controller.close();
        else parser.feed(decoder.decode(value, { stream: true }));
      },
    });
    let count = 0;
    let waiting = options?.onFirstText != null;
    const reader = parts.getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) return count;
      count++;
      if (waiting && value.rawValue.type === 'response.output_text.delta') {
        waiting = false;
        options!.onFirstText!();
      }
    }
  };
}

export function createContenders(endpoint: Endpoint): Record<ContenderId, Consume> {
  return {
    a: codexContender(endpoint),
    b: openaiContender(endpoint),
    c: piContender(endpoint),
    d: floorContender(endpoint),
    e: contractFloorContender(endpoint),
  };
}
