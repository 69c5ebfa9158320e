import { APICallError, type LanguageModelV4, NoSuchModelError, type ProviderV4 } from '@ai-sdk/provider';
import {
  type FetchFunction,
  generateId,
  isAbortError,
  loadOptionalSetting,
  withoutTrailingSlash,
} from '@ai-sdk/provider-utils';
import type { CodexAuth } from './auth/codex-auth';
import { type CodexAuthSetting, toCodexAuth } from './auth/to-codex-auth';
import { CodexBackendClient } from './backend/codex-backend-client';
import { DEFAULT_ORIGINATOR } from './backend/codex-headers';
import { type CodexModelInfo, CodexModelsCatalog } from './backend/models-catalog';
import { checkStreamIdleTimeout } from './backend/stream-idle-timeout';
import { type CodexUsageLimitSettings, checkUsageLimitSettings } from './backend/usage-limit-settings';
import type { CodexAccountUsage } from './backend/usage-limit-tracker';
import { type CodexTransport, type WebSocketMode, webSocketMode } from './backend/websocket/choose-transport';
import { CodexLanguageModel } from './codex-language-model';
import { codexTools } from './responses/codex-tools';

export const DEFAULT_BASE_URL = 'https://chatgpt.com/backend-api/codex';

/** The Codex CLI version reported to `/models`: the catalog hides models newer clients need. */
export const DEFAULT_CLIENT_VERSION = '0.171.0';

const DEFAULT_INSTRUCTIONS = 'You are a helpful assistant.';

/** Model ids of the Codex CLI 0.171 catalog; any other id string works too. */
export type CodexModelId =
  | 'gpt-6.2-sol'
  | 'gpt-6.2-astra'
  | 'gpt-6-astra'
  | 'gpt-6.1-sol'
  | 'gpt-6.1-terra'
  | 'gpt-6-sol'
  | 'gpt-6-luna'
  | 'gpt-5.6-sol'
  | 'gpt-5.6-terra'
  | 'gpt-5.6-luna'
  | 'gpt-daybreak-blue-latest'
  | 'gpt-daybreak-red-latest'
  | 'gpt-5.5'
  | 'codex-auto-review'
  | (string & {});

export interface CodexProviderSettings {
  /**
   * The Codex backend. Default: `CODEX_BASE_URL`, else `https://chatgpt.com/backend-api/codex`.
   */
  baseURL?: string;
  /**
   * Credentials: a credential source or store (e.g. `createRedisCredentialStore(…)`, kept fresh by a token
   * manager), a `CodexAuth`, or a plain `{ accessToken, accountId }`. Default: auto-detected on the first request (`CODEX_ACCESS_TOKEN`,
   * then the Codex CLI's `$CODEX_HOME/auth.json`), refreshed as needed.
   */
  auth?: CodexAuthSetting;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /** A fetch implementation, e.g. for middleware or tests. */
  fetch?: FetchFunction;
  /** The `originator` header. Default: `ai_sdk_provider_codex`. */
  originator?: string;
  /**
   * Sent as `instructions` when the backend requires them and the prompt has no system message.
   * Default: `You are a helpful assistant.`
   */
  defaultInstructions?: string;
  /** The client version sent to `/models`. Default: the Codex CLI version this package follows. */
  clientVersion?: string;
  /** Generates ids for sources and for items the backend sent without one. */
  generateId?: () => string;
  /**
   * How long a request may wait for the backend's response headers or its next event before it fails
   * with a retryable error, in milliseconds. Default: 300000 (5 minutes), the Codex CLI's `stream_idle_timeout_ms`.
   */
  streamIdleTimeoutMs?: number;
  /**
   * What a call does when the subscription's usage limit is reached: wait for the reset (`wait`, bounded by
   * `maxWaitMs`), or answer with `fallbackModels` meanwhile. Default: fail at once with `CodexUsageLimitError`,
   * which says when the limit resets.
   */
  onUsageLimit?: CodexUsageLimitSettings;
  /**
   * How requests reach the backend. `auto` (default) uses the backend's WebSocket where the model's catalog
   * entry prefers it (every model of the bundled catalog does) and the runtime can open one (Node.js, no
   * custom `fetch`), SSE elsewhere and when the WebSocket cannot be opened. Over the WebSocket, each step of a
   * conversation sends only its new input items. `websocket` insists on it; `sse` never uses it.
   */
  transport?: CodexTransport;
}

export interface CodexProvider extends ProviderV4 {
  (modelId: CodexModelId): LanguageModelV4;
  languageModel(modelId: CodexModelId): LanguageModelV4;
  /** The live model catalog of the logged-in account (cached for 5 minutes; the bundled catalog if unreachable). */
  listModels(): Promise<CodexModelInfo[]>;
  /**
   * The last usage limits the backend reported for each account this provider used, and the limits found
   * used up, with their reset times. Makes no request.
   */
  usageLimits(): CodexAccountUsage[];
  /** Provider tools: `webSearch`, `customTool`. */
  tools: typeof codexTools;
}

/** Creates a Codex provider. Nothing is read or checked until the first request. */
export function createCodex(settings: CodexProviderSettings = {}): CodexProvider {
  return createCodexWithClient(settings).provider;
}

/**
 * A Codex provider and the backend client it talks through, for the proxy: its `/v1/responses` sends the
 * Codex CLI's requests through the same client as the model's. Not part of the public API.
 */
export function createCodexWithClient(
  settings: CodexProviderSettings = {},
  {
    httpFetch,
  }: {
    /** The `fetch` of the backend's HTTP requests when the settings have none; it leaves the WebSocket on. */
    httpFetch?: FetchFunction;
  } = {},
): {
  provider: CodexProvider;
  client: CodexBackendClient;
} {
  const streamIdleTimeoutMs = checkStreamIdleTimeout(settings.streamIdleTimeoutMs);
  const usageLimits = checkUsageLimitSettings(settings.onUsageLimit);
  const transport = settings.transport ?? 'auto';

  let auth: Promise<CodexAuth> | undefined;
  const getAuth = () => {
    if (auth == null) {
      auth = resolveAuth(settings.auth);
      // A failed detection (e.g. no login yet) is tried again on the next request.
      auth.catch(() => {
        auth = undefined;
      });
    }
    return auth;
  };

  const client: CodexBackendClient = new CodexBackendClient({
    baseURL: () =>
      withoutTrailingSlash(
        loadOptionalSetting({ settingValue: settings.baseURL, environmentVariableName: 'CODEX_BASE_URL' }),
      ) ?? DEFAULT_BASE_URL,
    auth: getAuth,
    headers: settings.headers,
    fetch: settings.fetch ?? httpFetch,
    originator: settings.originator ?? DEFAULT_ORIGINATOR,
    defaultInstructions: settings.defaultInstructions ?? DEFAULT_INSTRUCTIONS,
    clientVersion: settings.clientVersion ?? DEFAULT_CLIENT_VERSION,
    streamIdleTimeoutMs,
    usageLimits,
    // The proxy's Responses requests follow the provider's transport setting, as the model's do.
    webSocketMode: (modelId): WebSocketMode =>
      webSocketMode({ transport, modelInfo: catalog.peek(modelId), customFetch: settings.fetch != null }),
  });

  const catalog = new CodexModelsCatalog({
    fetchModels: () => client.fetchModels(),
    // Missing or rejected credentials must reach the caller; an unreachable backend falls back.
    isFatal: error =>
      APICallError.isInstance(error)
        ? error.statusCode === 401 || error.statusCode === 403
        : !isAbortError(error),
  });

  const createLanguageModel = (modelId: CodexModelId) =>
    new CodexLanguageModel(modelId, {
      provider: 'codex.responses',
      client,
      generateId: settings.generateId ?? generateId,
      catalog,
      transport,
      customFetch: settings.fetch != null,
    });

  const provider = function (modelId: CodexModelId) {
    if (new.target) {
      throw new Error('The Codex model function cannot be called with the new keyword.');
    }
    return createLanguageModel(modelId);
  };

  provider.specificationVersion = 'v4' as const;
  provider.languageModel = createLanguageModel;
  provider.embeddingModel = (modelId: string) => {
    throw new NoSuchModelError({ modelId, modelType: 'embeddingModel' });
  };
  provider.imageModel = (modelId: string) => {
    throw new NoSuchModelError({ modelId, modelType: 'imageModel' });
  };
  provider.listModels = async () => [...(await catalog.list())];
  provider.usageLimits = () => client.usageLimits();
  provider.tools = codexTools;

  return { provider: provider as CodexProvider, client };
}

async function resolveAuth(auth: CodexAuthSetting | undefined): Promise<CodexAuth> {
  if (auth != null) return toCodexAuth(auth);
  // Imported on first use, so that apps passing credentials (e.g. on edge runtimes) need not bundle file-system code.
  const { createDefaultCodexAuth } = await import('./auth/default-codex-auth');
  return createDefaultCodexAuth();
}

/** The default provider: credentials are detected on the first request. */
export const codex = createCodex();
