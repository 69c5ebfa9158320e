export type { CodexAuth, CodexCredentials } from './auth/codex-auth';
export { CODEX_LOGIN_HINT, CodexAuthError, type CodexAuthErrorReason } from './auth/codex-auth-error';
export type { CodexCredentialSource, CodexCredentialStore, CodexLogin } from './auth/codex-credential-source';
export {
  createDefaultCodexAuth,
  type DefaultCodexAuthOptions,
  detectCodexCredentialSource,
} from './auth/default-codex-auth';
export { createEnvCredentialSource, readCodexRefreshTokenSeed } from './auth/sources/env-source';
export { createMemoryCredentialStore } from './auth/sources/memory-store';
export {
  createCodexCliCredentialStore,
  createFileCredentialStore,
  type FileCredentialStoreOptions,
} from './auth/stores/file-store';
export {
  createCodexCliKeychainStore,
  createKeychainCredentialStore,
  type KeychainCredentialStoreOptions,
} from './auth/stores/keychain-store';
export type { CodexRedisClient, CodexRedisEval } from './auth/stores/redis-client';
export { createRedisCredentialStore, type RedisCredentialStoreOptions } from './auth/stores/redis-store';
export {
  type CodexLoginInfo,
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
export type { CodexUsageLimitSettings, CodexUsageLimitWait } from './backend/usage-limit-settings';
export type { CodexAccountUsage } from './backend/usage-limit-tracker';
export type { CodexTransport } from './backend/websocket/choose-transport';
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
