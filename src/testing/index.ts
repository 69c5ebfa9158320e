export {
  type CodexAuthJson,
  type CodexEmulator,
  type CodexEmulatorOptions,
  startCodexEmulator,
} from './codex-emulator';
export { replayFixture, sseChunksFromLines } from './fixture-replay';
export { pkceChallenge } from './login-flows';
export { augustModelsCatalog, defaultModelsCatalog, type EmulatorModelInfo } from './models-catalog';
export type { RateLimitState, RateLimitUpdate, RateLimitWindow } from './rate-limit-headers';
export type { EmulatorCounters, RecordedRequest } from './request-log';
export { DEFAULT_VALIDATION_RULES, type ValidationRules } from './request-validation';
export {
  type CompactionItemSpec,
  type CustomToolCallItemSpec,
  compactionItem,
  compactionTurn,
  customToolCallItem,
  customToolCallTurn,
  expandTurn,
  type FunctionCallItemSpec,
  type FunctionCallSpec,
  failedTurn,
  functionCallItem,
  functionCallTurn,
  incompleteTurn,
  type MessageItemSpec,
  messageItem,
  type OutputItemSpec,
  type ReasoningItemSpec,
  reasoningItem,
  reasoningTurn,
  type ScriptedTurn,
  type TurnOptions,
  type TurnOutcome,
  type TurnUsage,
  textTurn,
  turn,
  type UrlCitation,
  type WebSearchCallItemSpec,
  webSearchCallItem,
  webSearchTurn,
} from './response-events';
export { sseFrame } from './response-writer';
export {
  dropConnection,
  type EmulatorRoute,
  type FaultOptions,
  httpError,
  type ScriptedDrop,
  type ScriptedEvents,
  type ScriptedHttp,
  type ScriptedResponse,
  type ScriptedSse,
  type ScriptedStall,
  type StreamControls,
  stallConnection,
} from './scripting';
export {
  type ChatGPTPlanType,
  CODEX_CLIENT_ID,
  type EmulatorAccount,
  type EmulatorLogin,
  type LoginOptions,
} from './tokens';
export type { UsageWindowOptions } from './usage-window';
