import type { LanguageModelV4CallOptions, SharedV4Warning } from '@ai-sdk/provider';
import { isCustomReasoning, mapReasoningToProviderEffort } from '@ai-sdk/provider-utils';
import { type CodexReasoningEffort, codexReasoningEfforts } from './codex-options';

/**
 * The `reasoning.effort` to send. `providerOptions.codex.reasoningEffort` wins over the call-level
 * `reasoning`; both are clamped to the efforts the model supports (when the catalog knows the model),
 * with a warning when the effort changes. `undefined` leaves the model's default.
 */
export function resolveReasoningEffort({
  reasoning,
  providerEffort,
  supportedEfforts,
  ultraEffort,
  warnings,
}: {
  reasoning: LanguageModelV4CallOptions['reasoning'];
  providerEffort: CodexReasoningEffort | undefined;
  /** From the models catalog; `undefined` or empty when the model is unknown. */
  supportedEfforts: readonly string[] | undefined;
  /** The catalog's `multi_agent_reasoning_effort`: what `ultra` is sent as, else `max`. */
  ultraEffort?: string;
  warnings: SharedV4Warning[];
}): string | undefined {
  const supported = supportedEfforts != null && supportedEfforts.length > 0 ? supportedEfforts : undefined;

  if (providerEffort != null) {
    const effort = supported != null ? clampEffort(providerEffort, supported) : providerEffort;
    if (effort !== providerEffort) {
      warnings.push({
        type: 'compatibility',
        feature: 'reasoningEffort',
        details: `reasoningEffort "${providerEffort}" is not supported by this model; "${effort}" was sent instead.`,
      });
    }
    return toWire(effort, ultraEffort);
  }

  if (!isCustomReasoning(reasoning)) return undefined;

  const effortMap: Partial<Record<string, string>> = {};
  for (const effort of supported ?? codexReasoningEfforts) effortMap[effort] = effort;
  return toWire(mapReasoningToProviderEffort({ reasoning, effortMap, warnings }), ultraEffort);
}

/** The requested effort if supported, else the nearest lower one, else the nearest higher one. */
export function clampEffort(requested: string, supported: readonly string[]): string {
  if (supported.includes(requested)) return requested;
  const order: readonly string[] = codexReasoningEfforts;
  const position = order.indexOf(requested);
  const known = supported.filter(effort => order.includes(effort) && effort !== 'none');
  const lower = known.filter(effort => order.indexOf(effort) < position);
  if (lower.length > 0 && requested !== 'none')
    return lower.reduce((a, b) => (order.indexOf(a) > order.indexOf(b) ? a : b));
  const higher = known.filter(effort => order.indexOf(effort) > position);
  if (higher.length > 0) return higher.reduce((a, b) => (order.indexOf(a) < order.indexOf(b) ? a : b));
  return supported[0] ?? requested;
}

// The Codex CLI sends `ultra` as the model's multi-agent effort where it has one, else as `max`.
function toWire(effort: string | undefined, ultraEffort: string | undefined): string | undefined {
  return effort === 'ultra' ? (ultraEffort ?? 'max') : effort;
}
