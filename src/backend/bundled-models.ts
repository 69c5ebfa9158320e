import type { CodexModelInfo } from './models-catalog';

const standardEfforts = ['low', 'medium', 'high', 'xhigh'];

/**
 * The catalog bundled with the Codex CLI (codex-rs/models-manager/models.json, 2026-08-20), used
 * when `/models` cannot be reached. The live catalog is authoritative: it knows the user's plan.
 */
export const bundledModels: readonly CodexModelInfo[] = [
  {
    id: 'gpt-5.6-sol',
    visibility: 'list',
    contextWindow: 272_000,
    defaultReasoningEffort: 'low',
    supportedReasoningEfforts: [...standardEfforts, 'max', 'ultra'],
    serviceTiers: ['priority', 'ultrafast'],
  },
  {
    id: 'gpt-5.6-terra',
    visibility: 'list',
    contextWindow: 272_000,
    defaultReasoningEffort: 'medium',
    supportedReasoningEfforts: [...standardEfforts, 'max', 'ultra'],
    serviceTiers: ['priority'],
  },
  {
    id: 'gpt-5.6-luna',
    visibility: 'list',
    contextWindow: 272_000,
    defaultReasoningEffort: 'medium',
    supportedReasoningEfforts: [...standardEfforts, 'max'],
    serviceTiers: ['priority'],
  },
  {
    id: 'gpt-5.5',
    displayName: 'GPT-5.5',
    description: 'Frontier model for complex coding, research, and real-world work.',
    visibility: 'list',
    contextWindow: 272_000,
    defaultReasoningEffort: 'medium',
    supportedReasoningEfforts: standardEfforts,
    supportsReasoningSummaries: true,
    supportsVerbosity: true,
    defaultVerbosity: 'low',
    serviceTiers: ['priority'],
    inputModalities: ['text', 'image'],
  },
  {
    id: 'gpt-5.4',
    visibility: 'hide',
    contextWindow: 272_000,
    defaultReasoningEffort: 'medium',
    supportedReasoningEfforts: standardEfforts,
  },
  {
    id: 'gpt-5.4-mini',
    visibility: 'hide',
    contextWindow: 272_000,
    defaultReasoningEffort: 'medium',
    supportedReasoningEfforts: standardEfforts,
  },
  {
    id: 'gpt-5.2',
    visibility: 'list',
    contextWindow: 272_000,
    defaultReasoningEffort: 'medium',
    supportedReasoningEfforts: standardEfforts,
  },
  {
    id: 'codex-auto-review',
    visibility: 'hide',
    contextWindow: 272_000,
    defaultReasoningEffort: 'medium',
    supportedReasoningEfforts: [...standardEfforts, 'max'],
  },
];
