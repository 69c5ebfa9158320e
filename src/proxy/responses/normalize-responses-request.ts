import { z } from 'zod/v4';
import { headerValueSchema } from '../header-value-schema';
import { ProxyError } from '../proxy-error';
import type { ResponseStore } from './response-store';
import { strictSchemasForBackend } from './strict-schemas-for-backend';

type JsonObject = Record<string, unknown>;

/** The request body of OpenAI's `POST /v1/responses`, as far as the proxy reads it. */
export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.record(z.string(), z.unknown()))]),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  include: z.array(z.string()).nullish(),
  reasoning: z
    .looseObject({
      effort: z.string().nullish(),
      summary: z.string().nullish(),
      generate_summary: z.string().nullish(),
    })
    .nullish(),
  service_tier: z.string().nullish(),
  previous_response_id: z.string().nullish(),
  prompt_cache_key: headerValueSchema.nullish(),
  conversation: z.unknown().optional(),
  prompt: z.unknown().optional(),
  background: z.boolean().nullish(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

/** Fields the Codex backend accepts, passed on as the client sent them. */
const PASSED_THROUGH = [
  'model',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'prompt_cache_key',
  'client_metadata',
] as const;

/** Fields that shape the request and are rewritten below rather than dropped. */
const REWRITTEN = [
  'input',
  'previous_response_id',
  'stream',
  'store',
  'include',
  'reasoning',
  'service_tier',
];

export interface NormalizedResponsesRequest {
  /** The body to send upstream: `store:false`, `stream:true`, encrypted reasoning included. */
  body: JsonObject;
  /** Whether the client asked for a stream (the backend always streams). */
  stream: boolean;
  /** Parameters the client sent that the backend does not accept, dropped from `body`. */
  dropped: string[];
  /** Whether the client wants the response kept for later references (`store`, which defaults to true). */
  remember: boolean;
}

/**
 * Rewrites a client's Responses request into one the Codex backend accepts: `store:false` and `stream:true`
 * (the backend refuses anything else), encrypted reasoning included so the client can replay it, `system`
 * messages sent as `developer` ones, a string `input` turned into a message list, and parameters the backend
 * refuses (sampling, limits, metadata) dropped. `previous_response_id` and `item_reference`s are resolved from
 * `store`, which stands in for the state the backend does not keep; `conversation`, stored `prompt`s and
 * `background` need more than that and are refused with a message saying so.
 */
export function normalizeResponsesRequest(
  request: ResponsesRequest,
  store: Pick<ResponseStore, 'resolveInput'>,
): NormalizedResponsesRequest {
  if (request.conversation != null) {
    throw new ProxyError({
      message:
        'conversation is not supported: the Codex backend does not store conversations. Send the whole conversation in input.',
      param: 'conversation',
    });
  }
  if (request.prompt != null) {
    throw new ProxyError({
      message:
        "prompt is not supported: the Codex backend has no stored prompts (they live in an OpenAI API project). Send the prompt's text as instructions and input.",
      param: 'prompt',
    });
  }
  if (request.background === true) {
    throw new ProxyError({
      message: 'background responses are not supported by the Codex backend. Stream the response instead.',
      param: 'background',
    });
  }

  const body: JsonObject = {};
  for (const key of PASSED_THROUGH) {
    if (request[key] != null) body[key] = request[key];
  }
  Object.assign(body, strictSchemasForBackend(body));
  body.input = normalizeInput(
    store.resolveInput(
      typeof request.input === 'string'
        ? [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: request.input }] }]
        : request.input,
      request.previous_response_id,
    ),
  );
  if (request.reasoning != null) {
    const { generate_summary: generateSummary, ...reasoning } = request.reasoning;
    body.reasoning = removeNullish({ ...reasoning, summary: reasoning.summary ?? generateSummary });
  }
  // `priority` is the only tier worth sending: `auto`/`default` are what omitting it means, `flex` is refused.
  if (request.service_tier === 'priority') body.service_tier = 'priority';
  body.store = false;
  body.stream = true;
  body.include = [...new Set([...(request.include ?? []), 'reasoning.encrypted_content'])];

  const known = new Set<string>([...PASSED_THROUGH, ...REWRITTEN]);
  const dropped = Object.keys(request).filter(
    key => !known.has(key) && request[key] != null && request[key] !== false,
  );
  if (request.service_tier != null && body.service_tier == null) dropped.push('service_tier');

  return { body, stream: request.stream === true, dropped, remember: request.store !== false };
}

function normalizeInput(input: JsonObject[]): JsonObject[] {
  return input.map(item => {
    const type = item.type ?? (item.role != null ? 'message' : undefined);
    if (type !== 'message') return item;
    const role = item.role === 'system' ? 'developer' : item.role;
    const content =
      typeof item.content === 'string'
        ? [{ type: role === 'assistant' ? 'output_text' : 'input_text', text: item.content }]
        : item.content;
    return { ...item, type, role, content };
  });
}

function removeNullish(record: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value != null));
}
