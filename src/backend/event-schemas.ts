import { z } from 'zod/v4';

/**
 * Schemas of the Responses SSE events.
 *
 * Every event passes the cheap envelope check below; the structural events the mapping acts on
 * (items, completion, failure, annotations) are then validated with zod. The high-volume delta
 * events are checked field by field in the mapping, which keeps the per-token cost low.
 */

export type CodexEvent = { readonly type: string } & Record<string, unknown>;

/** Envelope: a JSON object with a string `type`. Anything else is a parse error. */
export function isCodexEvent(value: unknown): value is CodexEvent {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}

/** The events that end a response's stream. */
export const FINAL_EVENT_TYPES: ReadonlySet<string> = new Set([
  'response.completed',
  'response.failed',
  'response.incomplete',
  'error',
]);

export const responseCreatedEventSchema = z.object({
  response: z.object({
    id: z.string(),
    created_at: z.number().nullish(),
    model: z.string().nullish(),
  }),
});

export const usageSchema = z.looseObject({
  input_tokens: z.number(),
  input_tokens_details: z
    .looseObject({ cached_tokens: z.number().nullish(), cache_write_tokens: z.number().nullish() })
    .nullish(),
  output_tokens: z.number(),
  output_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
  total_tokens: z.number().nullish(),
});

export type CodexUsage = z.infer<typeof usageSchema>;

export const responseFinishedEventSchema = z.object({
  response: z.object({
    incomplete_details: z.object({ reason: z.string().nullish() }).nullish(),
    usage: usageSchema.nullish(),
    service_tier: z.string().nullish(),
  }),
});

export const streamErrorSchema = z.looseObject({
  message: z.string(),
  code: z.union([z.string(), z.number()]).nullish(),
  type: z.string().nullish(),
  param: z.string().nullish(),
  plan_type: z.string().nullish(),
  resets_at: z.number().nullish(),
});

export type CodexStreamError = z.infer<typeof streamErrorSchema>;

export const responseFailedEventSchema = z.object({
  response: z.object({
    error: streamErrorSchema.nullish(),
    incomplete_details: z.object({ reason: z.string().nullish() }).nullish(),
    usage: usageSchema.nullish(),
  }),
});

/** `{type:'error', code, message}` and the nested `{type:'error', error:{…}}` both occur. */
export const errorEventSchema = z.union([
  z.object({ error: streamErrorSchema }).transform(event => event.error),
  streamErrorSchema,
]);

export const annotationSchema = z.union([
  z.object({
    type: z.literal('url_citation'),
    url: z.string(),
    title: z.string().nullish(),
    start_index: z.number().nullish(),
    end_index: z.number().nullish(),
  }),
  z.object({
    type: z.literal('file_citation'),
    file_id: z.string(),
    filename: z.string().nullish(),
    index: z.number().nullish(),
  }),
]);

export type CodexAnnotation = z.infer<typeof annotationSchema>;

export const annotationAddedEventSchema = z.object({ annotation: z.looseObject({ type: z.string() }) });

const messageItemSchema = z.object({
  type: z.literal('message'),
  id: z.string().nullish(),
  phase: z.enum(['commentary', 'final_answer']).nullish(),
  content: z
    .array(z.looseObject({ type: z.string(), text: z.string().nullish(), refusal: z.string().nullish() }))
    .nullish(),
});

const reasoningItemSchema = z.object({
  type: z.literal('reasoning'),
  id: z.string().nullish(),
  encrypted_content: z.string().nullish(),
  summary: z.array(z.object({ text: z.string() })).nullish(),
});

const functionCallItemSchema = z.object({
  type: z.literal('function_call'),
  id: z.string().nullish(),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string().nullish(),
});

const customToolCallItemSchema = z.object({
  type: z.literal('custom_tool_call'),
  id: z.string().nullish(),
  call_id: z.string(),
  name: z.string(),
  input: z.string().nullish(),
});

const webSearchCallItemSchema = z.object({
  type: z.literal('web_search_call'),
  id: z.string(),
  status: z.string().nullish(),
  action: z
    .discriminatedUnion('type', [
      z.object({
        type: z.literal('search'),
        query: z.string().nullish(),
        queries: z.array(z.string()).nullish(),
        sources: z
          .array(
            z.discriminatedUnion('type', [
              z.object({ type: z.literal('url'), url: z.string() }),
              z.object({ type: z.literal('api'), name: z.string() }),
            ]),
          )
          .nullish(),
      }),
      z.object({ type: z.literal('open_page'), url: z.string().nullish() }),
      z.object({ type: z.literal('find_in_page'), url: z.string().nullish(), pattern: z.string().nullish() }),
    ])
    .nullish(),
});

const localShellCallItemSchema = z.object({
  type: z.literal('local_shell_call'),
  id: z.string().nullish(),
  call_id: z.string(),
  action: z.object({
    type: z.literal('exec'),
    command: z.array(z.string()),
    timeout_ms: z.number().nullish(),
    user: z.string().nullish(),
    working_directory: z.string().nullish(),
    env: z.record(z.string(), z.string()).nullish(),
  }),
});

const applyPatchCallItemSchema = z.object({
  type: z.literal('apply_patch_call'),
  id: z.string().nullish(),
  call_id: z.string(),
  status: z.string().nullish(),
  operation: z.looseObject({ type: z.string(), path: z.string().nullish(), diff: z.string().nullish() }),
});

const imageGenerationCallItemSchema = z.object({
  type: z.literal('image_generation_call'),
  id: z.string(),
  result: z.string().nullish(),
});

/** The conversation before it, compacted by the backend (remote compaction v2); opaque to clients. */
const compactionItemSchema = z.object({
  type: z.literal('compaction'),
  id: z.string().nullish(),
  // Only the finished item carries it.
  encrypted_content: z.string().nullish(),
});

/** The output items this provider maps; others (future or hosted-only kinds) are skipped. */
export const outputItemSchemas = {
  message: messageItemSchema,
  reasoning: reasoningItemSchema,
  function_call: functionCallItemSchema,
  custom_tool_call: customToolCallItemSchema,
  web_search_call: webSearchCallItemSchema,
  local_shell_call: localShellCallItemSchema,
  apply_patch_call: applyPatchCallItemSchema,
  image_generation_call: imageGenerationCallItemSchema,
  compaction: compactionItemSchema,
} as const;

export type CodexOutputItem = {
  [K in keyof typeof outputItemSchemas]: z.infer<(typeof outputItemSchemas)[K]>;
}[keyof typeof outputItemSchemas];
