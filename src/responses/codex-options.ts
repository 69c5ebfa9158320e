import { type InferSchema, lazySchema, zodSchema } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';

/**
 * Reasoning efforts the Codex backend knows. `ultra` is sent as the model's `multi_agent_reasoning_effort`
 * where the catalog has one, else as `max`, as the Codex CLI does.
 */
export const codexReasoningEfforts = [
  'none',
  'minimal',
  'low',
  'medium',
  'high',
  'xhigh',
  'max',
  'ultra',
] as const;

export type CodexReasoningEffort = (typeof codexReasoningEfforts)[number];

/** `providerOptions.codex` of a call. */
export const codexLanguageModelOptionsSchema = lazySchema(() =>
  zodSchema(
    z.object({
      /**
       * Reasoning effort. Wins over the call-level `reasoning` option. Clamped to the efforts the
       * model supports (from the models catalog), with a warning when changed.
       */
      reasoningEffort: z.enum(codexReasoningEfforts).optional(),
      /**
       * Reasoning summary. Defaults to `auto` so that reasoning streams as reasoning parts;
       * `none` asks for no summary.
       */
      reasoningSummary: z.enum(['auto', 'concise', 'detailed', 'none']).optional(),
      /** Length and detail of the answer (`text.verbosity`). Default: the model's `default_verbosity`. */
      textVerbosity: z.enum(['low', 'medium', 'high']).optional(),
      /**
       * Key for the backend's prompt cache (also sent as the `session-id` header). Defaults to a key
       * derived from the start of the conversation, so it is stable across the steps of a tool loop
       * and the turns of a chat.
       */
      promptCacheKey: z.string().min(1).optional(),
      /**
       * Service tier, e.g. `priority` ("Fast" in the Codex CLI) for models that list it; `fast` is an
       * alias of `priority` and `default` sends nothing.
       */
      serviceTier: z.enum(['default', 'priority', 'fast', 'flex']).optional(),
      /**
       * Whether the model may call several tools in one step. Default: as the Codex CLI sends it, `false`
       * for Responses Lite models and `true` for the others.
       */
      parallelToolCalls: z.boolean().optional(),
      /**
       * Sent as the top-level `instructions` field. System messages are always sent as `developer`
       * messages, as the Codex CLI sends its instructions (they are prompt-cached; `instructions` is
       * reported not to be on the newest models).
       */
      instructions: z.string().optional(),
      /**
       * Whether structured output uses strict JSON schema mode. By default strict mode is used when
       * the schema allows it (every property required, no additional properties) and relaxed with a
       * warning otherwise; `true` forces it, `false` turns it off.
       */
      strictJsonSchema: z.boolean().optional(),
      /**
       * Asks the backend to compact the conversation (remote compaction v2): the answer is a custom
       * `codex.compaction` part that, sent back with the response messages, replaces the history before it.
       */
      compact: z.boolean().optional(),
      /**
       * How this call reaches the backend: `websocket` (only the new input items once a conversation's
       * connection has seen the rest), `sse`, or `auto` (the model's preference, where the runtime allows).
       * Default: the provider's `transport` setting.
       */
      transport: z.enum(['auto', 'websocket', 'sse']).optional(),
    }),
  ),
);

export type CodexLanguageModelOptions = InferSchema<typeof codexLanguageModelOptionsSchema>;

/** Per-part options read from `providerOptions.codex` of prompt parts. */
export const codexReasoningPartOptionsSchema = lazySchema(() =>
  zodSchema(
    z.object({
      itemId: z.string().nullish(),
      reasoningEncryptedContent: z.string().nullish(),
    }),
  ),
);
