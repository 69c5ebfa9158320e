export type { CodexAuth, CodexCredentials } from './auth/codex-auth';
export { CodexAuthError } from './auth/codex-auth-error';
export type { CodexCredentialSource, CodexCredentialStore, CodexLogin } from './auth/codex-credential-source';
export { createDefaultCodexAuth, type DefaultCodexAuthOptions } from './auth/default-codex-auth';
export { readCodexRefreshTokenSeed } from './auth/sources/env-source';
export type { CodexRedisClient, CodexRedisEval } from './auth/stores/redis-client';
export { createRedisCredentialStore, type RedisCredentialStoreOptions } from './auth/stores/redis-store';
export {
  type CodexTokenManager,
  type CodexTokenManagerOptions,
  createCodexTokenManager,
} from './auth/token-manager';
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
