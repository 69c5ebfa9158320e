import type { JSONObject, LanguageModelV4Usage } from '@ai-sdk/provider';
import { createNullLanguageModelUsage } from '@ai-sdk/provider-utils';
import type { CodexUsage } from '../backend/event-schemas';

/** Responses usage → AI SDK usage. Cache writes are reported apart from uncached input. */
export function convertUsage(usage: CodexUsage | null | undefined): LanguageModelV4Usage {
  if (usage == null) return createNullLanguageModelUsage();

  const cacheRead = usage.input_tokens_details?.cached_tokens ?? 0;
  const cacheWrite = usage.input_tokens_details?.cache_write_tokens ?? undefined;
  const reasoning = usage.output_tokens_details?.reasoning_tokens ?? 0;

  return {
    inputTokens: {
      total: usage.input_tokens,
      noCache: usage.input_tokens - cacheRead - (cacheWrite ?? 0),
      cacheRead,
      cacheWrite,
    },
    outputTokens: {
      total: usage.output_tokens,
      text: usage.output_tokens - reasoning,
      reasoning,
    },
    raw: usage as JSONObject,
  };
}
