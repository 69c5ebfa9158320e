import { z } from 'zod/v4';
import { headerValueSchema } from '../header-value-schema';

// The request body of OpenAI's `POST /v1/chat/completions`. Objects are loose: clients send fields
// this proxy does not know (provider extensions, new API fields) and OpenAI ignores those too.

const textPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

const userContentPartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  z.looseObject({
    type: z.literal('image_url'),
    image_url: z.looseObject({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
  }),
  z.looseObject({
    type: z.literal('input_audio'),
    input_audio: z.looseObject({ data: z.string(), format: z.string() }),
  }),
  z.looseObject({
    type: z.literal('file'),
    file: z.looseObject({
      file_data: z.string().optional(),
      file_id: z.string().optional(),
      filename: z.string().optional(),
    }),
  }),
]);

export type ChatUserContentPart = z.infer<typeof userContentPartSchema>;

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const messageSchema = z.discriminatedUnion('role', [
  z.looseObject({
    role: z.enum(['system', 'developer']),
    content: z.union([z.string(), z.array(textPartSchema)]),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(userContentPartSchema)]),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z
      .union([
        z.string(),
        z.array(
          z.discriminatedUnion('type', [
            textPartSchema,
            z.looseObject({ type: z.literal('refusal'), refusal: z.string() }),
          ]),
        ),
      ])
      .nullish(),
    refusal: z.string().nullish(),
    tool_calls: z.array(toolCallSchema).nullish(),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('tool'),
    tool_call_id: z.string(),
    content: z.union([z.string(), z.array(userContentPartSchema)]),
  }),
  z.looseObject({ role: z.literal('function'), name: z.string(), content: z.string().nullish() }),
]);

export type ChatMessage = z.infer<typeof messageSchema>;

const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string(),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

export const chatCompletionsRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(functionToolSchema).nullish(),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
    ])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: z
    .discriminatedUnion('type', [
      z.looseObject({ type: z.literal('text') }),
      z.looseObject({ type: z.literal('json_object') }),
      z.looseObject({
        type: z.literal('json_schema'),
        json_schema: z.looseObject({
          name: z.string(),
          description: z.string().optional(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
        }),
      }),
    ])
    .nullish(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
  verbosity: z.enum(['low', 'medium', 'high']).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  presence_penalty: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
  seed: z.number().int().nullish(),
  // OpenAI takes up to 4 stop sequences.
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  n: z.number().int().nullish(),
  modalities: z.array(z.string()).nullish(),
  service_tier: z.string().nullish(),
  prompt_cache_key: headerValueSchema.nullish(),
});

export type ChatCompletionsRequest = z.infer<typeof chatCompletionsRequestSchema>;
