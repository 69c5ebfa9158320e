import { APICallError } from '@ai-sdk/provider';
import { createJsonResponseHandler, type FetchFunction, getFromApi } from '@ai-sdk/provider-utils';
import type { CodexAuth } from '../auth/codex-auth';
import { getBackendQuirks, removeParameter } from './backend-quirks';
import { codexFailedResponseHandler, getUnsupportedParameter, isInstructionsRequired } from './codex-error';
import { createCodexHeaders } from './codex-headers';
import { type CodexModelInfo, modelsResponseSchema, toModelInfo } from './models-catalog';
import { parseRateLimits } from './rate-limits';
import { createSseTransport, type ResponsesStream, type ResponsesTransport } from './responses-transport';
import { sendWithinUsageLimits, type UsageLimitDetour } from './send-within-usage-limits';
import { StreamIdleTimeout } from './stream-idle-timeout';
import { TURN_STATE_HEADER, TurnStates } from './turn-state';
import type { CodexUsageLimitSettings } from './usage-limit-settings';
import { type CodexAccountUsage, UsageLimitTracker } from './usage-limit-tracker';
import type { WebSocketMode } from './websocket/choose-transport';
import { createWebSocketTransport } from './websocket/websocket-transport';
import { withCredentials } from './with-credentials';

/**
 * The beta features the Codex CLI 0.171 announces on every Responses request. `remote_compaction_v2`: a
 * `compaction_trigger` input item asks for a `compaction` output item that stands for the history before it.
 */
const BETA_FEATURES = { 'x-codex-beta-features': 'remote_compaction_v2' };

export type CodexBackendClientConfig = {
  /** Resolved per request, so that `CODEX_BASE_URL` may be set after import. */
  baseURL: () => string;
  /** Resolved on the first request, never at construction. */
  auth: () => Promise<CodexAuth>;
  /** Extra headers for every request. */
  headers?: Record<string, string | undefined>;
  fetch?: FetchFunction;
  originator: string;
  /** Sent when the backend requires `instructions` and the request has none. */
  defaultInstructions: string;
  /** The Codex CLI version reported to `/models`. */
  clientVersion: string;
  /** How long a request may wait for its response headers or its next event. */
  streamIdleTimeoutMs: number;
  /** The transport of a request that names none (the proxy's), by model. Default: SSE. */
  webSocketMode?: (modelId: string) => WebSocketMode;
  /** What a request does when a usage limit is reached. Default: fail at once. */
  usageLimits?: CodexUsageLimitSettings;
};

// The key of the usage limits of credentials without an account id (e.g. a bare access token).
const UNKNOWN_ACCOUNT = 'unknown';

export type ResponsesRequest = {
  /** The Responses body. Recovery from the backend's quirks edits it in place, so it shows what was sent. */
  body: Record<string, unknown>;
  /** Headers of this request, after the configured ones. */
  headers?: Record<string, string | undefined>;
  /** The `session-id` header (the Codex CLI sends its conversation id, which is also the prompt-cache key). */
  sessionId?: string;
  /**
   * Whether the request continues the turn of the session's previous one (it answers tool calls): the
   * backend's `x-codex-turn-state` is then sent back, as the Codex CLI does. Left out when the caller
   * manages the header itself (the Codex CLI behind the proxy).
   */
  continuesTurn?: boolean;
  abortSignal?: AbortSignal;
  /** Told of each parameter left out of the body because the backend refuses it. */
  onDroppedParameter?: (parameter: string) => void;
  /**
   * Over the backend's WebSocket (incremental input): `preferred` falls back to SSE when the upgrade fails,
   * `required` does not, `off` uses SSE. Default: the client's `webSocketMode` for the body's model.
   */
  webSocket?: WebSocketMode;
};

export type ResponsesAnswer = ResponsesStream & { url: string };

/**
 * The one conversation with the Codex backend, for the language model and the proxy alike: credentials
 * (refreshed once on a 401), protocol headers, recovery from the backend's changing rules ("Unsupported
 * parameter", "Instructions are required", remembered per base URL), the idle timeout, the turn state, and
 * the model catalog. The transport underneath carries the request and its events.
 */
export class CodexBackendClient {
  private readonly config: CodexBackendClientConfig;
  private readonly transports: Record<WebSocketMode, ResponsesTransport>;
  private readonly turnStates = new TurnStates();
  private readonly usageLimitTracker = new UsageLimitTracker();

  constructor(config: CodexBackendClientConfig) {
    this.config = config;
    const sse = createSseTransport(config.fetch);
    this.transports = {
      off: sse,
      preferred: createWebSocketTransport({ sse, required: false }),
      required: createWebSocketTransport({ sse, required: true }),
    };
  }

  /**
   * Sends a Responses request. Resolves once the backend accepted it, with its headers and its events;
   * rejects with an `APICallError` when it refused it.
   */
  async postResponses({
    body,
    headers,
    sessionId,
    continuesTurn,
    abortSignal,
    onDroppedParameter,
    webSocket,
  }: ResponsesRequest): Promise<ResponsesAnswer> {
    const transport = this.transports[webSocket ?? this.config.webSocketMode?.(String(body.model)) ?? 'off'];
    const baseURL = this.config.baseURL();
    const url = `${baseURL}/responses`;
    const auth = await this.config.auth();
    const quirks = getBackendQuirks(baseURL);

    for (const parameter of quirks.unsupportedParameters) {
      if (removeParameter(body, parameter)) onDroppedParameter?.(parameter);
    }
    if (quirks.instructionsRequired && body.instructions == null)
      body.instructions = this.config.defaultInstructions;

    const keepsTurnState = sessionId != null && continuesTurn != null;
    const turnState = keepsTurnState ? this.turnStates.get(sessionId, continuesTurn) : undefined;
    const keepTurnState = keepsTurnState
      ? (responseHeaders: Record<string, string>) => this.turnStates.set(sessionId, responseHeaders)
      : undefined;

    let retriedParameter = false;
    let retriedInstructions = false;
    while (true) {
      const idleTimeout = new StreamIdleTimeout({
        timeoutMs: this.config.streamIdleTimeoutMs,
        abortSignal,
        url,
        requestBodyValues: body,
      });
      try {
        let accountId = UNKNOWN_ACCOUNT;
        const answer = await withCredentials(auth, abortSignal, credentials => {
          accountId = credentials.accountId ?? UNKNOWN_ACCOUNT;
          return transport.send({
            url,
            headers: createCodexHeaders({
              credentials,
              originator: this.config.originator,
              sessionId,
              // A caller's own beta features (the Codex CLI's, through the proxy) replace these.
              headers: [
                BETA_FEATURES,
                this.config.headers,
                headers,
                turnState != null ? { [TURN_STATE_HEADER]: turnState } : undefined,
              ],
            }),
            body,
            idleTimeout,
            onLateHeaders: keepTurnState,
          });
        });
        keepTurnState?.(answer.responseHeaders);
        this.usageLimitTracker.record(accountId, parseRateLimits(answer.responseHeaders));
        return { ...answer, url };
      } catch (error) {
        if (!APICallError.isInstance(error)) throw error;

        const parameter = getUnsupportedParameter(error);
        if (parameter != null && !retriedParameter && removeParameter(body, parameter)) {
          retriedParameter = true;
          quirks.unsupportedParameters.add(parameter);
          onDroppedParameter?.(parameter);
          continue;
        }

        if (isInstructionsRequired(error) && !retriedInstructions && body.instructions == null) {
          retriedInstructions = true;
          quirks.instructionsRequired = true;
          body.instructions = this.config.defaultInstructions;
          continue;
        }

        throw error;
      }
    }
  }

  /**
   * Runs `send` (which posts the request for the model it is given) with the usage-limit policy: by default
   * once; with `fallbackModels`, for the next model while one is limited; with `wait`, again once the limit
   * resets, holding the request (and later ones for the same limit) until then. See `sendWithinUsageLimits`.
   */
  async withinUsageLimits<T>({
    modelId,
    abortSignal,
    send,
  }: {
    modelId: string;
    abortSignal?: AbortSignal;
    send: (modelId: string) => Promise<T>;
  }): Promise<{ value: T; detour?: UsageLimitDetour }> {
    const auth = await this.config.auth();
    const { accountId = UNKNOWN_ACCOUNT } = await auth.getCredentials({ abortSignal });
    return sendWithinUsageLimits({
      send,
      modelId,
      accountId,
      tracker: this.usageLimitTracker,
      settings: this.config.usageLimits,
      abortSignal,
    });
  }

  /** The last usage limits the backend reported per account, and the limits found used up. */
  usageLimits(): CodexAccountUsage[] {
    return this.usageLimitTracker.snapshot();
  }

  /** The account's model catalog (`GET /models`); fails fast rather than wait on an unreachable backend. */
  async fetchModels(): Promise<CodexModelInfo[]> {
    const baseURL = this.config.baseURL();
    const { value } = await withCredentials(await this.config.auth(), undefined, credentials =>
      getFromApi({
        url: `${baseURL}/models?client_version=${encodeURIComponent(this.config.clientVersion)}`,
        headers: createCodexHeaders({
          credentials,
          originator: this.config.originator,
          headers: [this.config.headers],
        }),
        failedResponseHandler: codexFailedResponseHandler,
        successfulResponseHandler: createJsonResponseHandler(modelsResponseSchema),
        abortSignal: AbortSignal.timeout(5_000),
        fetch: this.config.fetch,
        validateUrl: false,
      }),
    );
    return value.models.map(toModelInfo);
  }
}
