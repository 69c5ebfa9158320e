import { createProviderExecutedToolFactory, lazySchema, zodSchema } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';

export const webSearchArgsSchema = lazySchema(() =>
  zodSchema(
    z.object({
      externalWebAccess: z.boolean().optional(),
      filters: z.object({ allowedDomains: z.array(z.string()).optional() }).optional(),
      searchContextSize: z.enum(['low', 'medium', 'high']).optional(),
      userLocation: z
        .object({
          type: z.literal('approximate'),
          country: z.string().optional(),
          city: z.string().optional(),
          region: z.string().optional(),
          timezone: z.string().optional(),
        })
        .optional(),
    }),
  ),
);

const webSearchInputSchema = lazySchema(() => zodSchema(z.object({})));

const webSearchOutputSchema = lazySchema(() =>
  zodSchema(
    z.object({
      action: z
        .discriminatedUnion('type', [
          z.object({
            type: z.literal('search'),
            query: z.string().optional(),
            queries: z.array(z.string()).optional(),
          }),
          z.object({ type: z.literal('openPage'), url: z.string().nullish() }),
          z.object({
            type: z.literal('findInPage'),
            url: z.string().nullish(),
            pattern: z.string().nullish(),
          }),
        ])
        .optional(),
      sources: z
        .array(
          z.discriminatedUnion('type', [
            z.object({ type: z.literal('url'), url: z.string() }),
            z.object({ type: z.literal('api'), name: z.string() }),
          ]),
        )
        .optional(),
    }),
  ),
);

export type CodexWebSearchArgs = {
  /** `true` searches the live web, `false` only cached/indexed pages (the Codex CLI's "cached" mode). */
  externalWebAccess?: boolean;
  /** Restrict results to these domains. */
  filters?: { allowedDomains?: string[] };
  /** How much search context the model gets. */
  searchContextSize?: 'low' | 'medium' | 'high';
  /** Approximate user location for localized results. */
  userLocation?: {
    type: 'approximate';
    country?: string;
    city?: string;
    region?: string;
    timezone?: string;
  };
};

export type CodexWebSearchOutput = {
  action?:
    | { type: 'search'; query?: string; queries?: string[] }
    | { type: 'openPage'; url?: string | null }
    | { type: 'findInPage'; url?: string | null; pattern?: string | null };
  sources?: Array<{ type: 'url'; url: string } | { type: 'api'; name: string }>;
};

const webSearchToolFactory = createProviderExecutedToolFactory<
  Record<string, never>,
  CodexWebSearchOutput,
  CodexWebSearchArgs
>({
  id: 'codex.web_search',
  inputSchema: webSearchInputSchema,
  outputSchema: webSearchOutputSchema,
});

/**
 * Web search run by the backend. Its citations come back as `source` parts (and as `citations` on
 * the text), the search itself as a provider-executed tool call and result.
 */
export const webSearch = (args: CodexWebSearchArgs = {}) => webSearchToolFactory(args);
