import { createProviderDefinedToolFactory, lazySchema, zodSchema } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';

export const customToolArgsSchema = lazySchema(() =>
  zodSchema(
    z.object({
      description: z.string().optional(),
      format: z
        .union([
          z.object({
            type: z.literal('grammar'),
            syntax: z.enum(['regex', 'lark']),
            definition: z.string(),
          }),
          z.object({ type: z.literal('text') }),
        ])
        .optional(),
    }),
  ),
);

const customToolInputSchema = lazySchema(() => zodSchema(z.string()));

export type CodexCustomToolArgs = {
  /** What the tool does. */
  description?: string;
  /** A grammar (Lark or regex) the input must match; omit for free text. */
  format?: { type: 'grammar'; syntax: 'regex' | 'lark'; definition: string } | { type: 'text' };
};

const customToolFactory = createProviderDefinedToolFactory<string, CodexCustomToolArgs>({
  id: 'codex.custom',
  inputSchema: customToolInputSchema,
});

/**
 * A custom (freeform) tool, like the Codex CLI's `apply_patch`: the model sends raw text instead of
 * JSON arguments, and the call surfaces as an ordinary tool call whose input is that string.
 * Your `execute` receives the string.
 */
export const customTool = customToolFactory;
