import type { LanguageModelV4FinishReason } from '@ai-sdk/provider';

/** Maps `incomplete_details.reason` (absent on a normal completion) to the AI SDK finish reason. */
export function mapFinishReason({
  reason,
  hasFunctionCall,
  hasRefusal,
}: {
  reason: string | null | undefined;
  /** Whether the model called a client-executed tool. */
  hasFunctionCall: boolean;
  hasRefusal: boolean;
}): LanguageModelV4FinishReason['unified'] {
  switch (reason) {
    case undefined:
    case null:
      // A tool call wins over a refusal so that the tools still run.
      if (hasFunctionCall) return 'tool-calls';
      return hasRefusal ? 'content-filter' : 'stop';
    case 'max_output_tokens':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    default:
      return hasFunctionCall ? 'tool-calls' : 'other';
  }
}
