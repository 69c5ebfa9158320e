export type { CodexAuth, CodexCredentials } from './auth/codex-auth';
export { CodexUsageLimitError } from './backend/codex-usage-limit-error';
export type { CodexModelInfo } from './backend/models-catalog';
export type {
  CodexRateLimit,
  CodexRateLimits,
  CodexRateLimitWindow,
} from './backend/rate-limits';
export {
  type CodexModelId,
  type CodexProvider,
  type CodexProviderSettings,
  codex,
  createCodex,
} from './codex-provider';
export type { CodexLanguageModelOptions, CodexReasoningEffort } from './responses/codex-options';
export type { CodexCustomToolArgs } from './responses/tools/custom-tool';
export type { CodexWebSearchArgs, CodexWebSearchOutput } from './responses/tools/web-search';
export { VERSION } from './version';
