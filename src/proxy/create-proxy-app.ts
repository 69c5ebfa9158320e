import { AISDKError, type LanguageModelV4 } from '@ai-sdk/provider';
import { isAbortError } from '@ai-sdk/provider-utils';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { CodexBackendClient } from '../backend/codex-backend-client';
import type { CodexModelInfo } from '../backend/models-catalog';
import { createApiKeyCheck, invalidApiKeyError } from './api-key';
import { browserGuard, type CorsSetting } from './browser-guard';
import { handleChatCompletions } from './chat/handle-chat-completions';
import { handleListModels, handleRetrieveModel } from './handle-models';
import { handleUsage } from './handle-usage';
import { toProxyError } from './map-error';
import { ProxyError } from './proxy-error';
import type { ProxyLog, RequestLog } from './proxy-logger';
import { handleResponses } from './responses/handle-responses';
import {
  handleDeleteResponse,
  handleListInputItems,
  handleRetrieveResponse,
} from './responses/handle-stored-responses';
import type { ResponseStore } from './responses/response-store';

/** What the proxy needs from the Codex backend side. */
export interface ProxyBackend {
  languageModel(modelId: string): LanguageModelV4;
  listModels(): Promise<readonly CodexModelInfo[]>;
  /** The Codex CLI's Responses requests go through the same client as the model's. */
  client: Pick<CodexBackendClient, 'postResponses' | 'withinUsageLimits' | 'usageLimits'>;
}

export interface ProxyAppOptions {
  backend: ProxyBackend;
  log: ProxyLog;
  apiKey: string | undefined;
  isAllowedHost: (host: string | undefined) => boolean;
  cors: CorsSetting;
  maxBodyBytes: number;
  basePath: string;
  /** The responses kept for `previous_response_id` and retrieval, shared with the WebSocket clients. */
  store: ResponseStore;
}

/** Headers a browser client may read (rate limits, retry hints) when CORS is on. */
const EXPOSED_HEADERS = ['retry-after', 'x-request-id', 'openai-model'];

type Env = { Variables: { log: RequestLog } };

/**
 * The proxy's routes as a Hono app: OpenAI's endpoints, the browser guard, authentication, CORS, body limit,
 * logging, errors.
 */
export function createProxyApp({
  backend,
  log,
  apiKey,
  isAllowedHost,
  cors: corsOption,
  maxBodyBytes,
  basePath,
  store,
}: ProxyAppOptions) {
  const app = new Hono<Env>().basePath(basePath);
  const isAuthorized = apiKey != null ? createApiKeyCheck(apiKey) : undefined;

  app.onError((thrown, c) => {
    // `isAbortError` narrows its argument, so it gets an `unknown` view of the error.
    const error: unknown = thrown;
    // Once the client has gone, whatever failed (the backend request, the rest of its body) failed for that.
    if (isAbortError(error) || c.req.raw.signal.aborted) {
      c.get('log')?.note('the client disconnected; the backend request was aborted');
      return new Response(null, { status: 499 });
    }
    const proxyError = toProxyError(error);
    // Errors of this package and the AI SDK explain themselves; anything else is a bug worth its stack.
    if (!(error instanceof ProxyError) && !AISDKError.isInstance(error)) {
      log.error(`unexpected error: ${thrown.stack ?? thrown.message}`);
    } else if (proxyError.serverDetail != null && proxyError.status < 500) {
      // The client got the general story; the log keeps the full one (5xx lines carry it already).
      log.error(`${c.req.method} ${new URL(c.req.url).pathname}: ${proxyError.serverDetail}`);
    }
    return errorResponse(proxyError);
  });

  app.notFound(c =>
    errorResponse(
      new ProxyError({
        message: `Unknown request URL: ${c.req.method} ${new URL(c.req.url).pathname}. The proxy serves /v1/chat/completions, /v1/responses, /v1/models, /v1/usage and /health.`,
        status: 404,
        code: 'unknown_url',
      }),
    ),
  );

  app.use('*', async (c, next) => {
    const started = Date.now();
    c.set('log', log.request(c.req.raw));
    await next();
    log.response(
      c.req.raw,
      c.res.status,
      Date.now() - started,
      c.error != null ? c.error.message : undefined,
    );
  });

  app.use('*', browserGuard({ isAllowedHost, cors: corsOption }));

  if (corsOption) {
    app.use(
      '*',
      cors({
        origin: corsOption === true ? '*' : corsOption.origin,
        allowHeaders: [
          'authorization',
          'content-type',
          'openai-organization',
          'openai-project',
          'x-stainless-*',
        ],
        exposeHeaders: EXPOSED_HEADERS,
        maxAge: 600,
      }),
    );
  }

  app.get('/health', c => c.json({ status: 'ok' }));

  if (isAuthorized != null) {
    app.use('/v1/*', async (c, next) => {
      if (!isAuthorized(c.req.header('authorization'))) {
        return errorResponse(invalidApiKeyError());
      }
      await next();
    });
  }

  const tooLarge = () =>
    errorResponse(
      new ProxyError({
        message: `The request body is larger than the proxy's limit of ${maxBodyBytes} bytes.`,
        status: 413,
        code: 'request_too_large',
      }),
    );
  const limitBody = bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge });
  app.use('/v1/*', (c, next) => {
    // An announced length is checked from the header alone. Without one Hono's limit counts the body as it
    // is read; it reads `body` to see whether there is one, which costs a Node.js request a web stream.
    const length = c.req.header('content-length');
    if (length == null || c.req.header('transfer-encoding') != null) return limitBody(c, next);
    return Number(length) > maxBodyBytes ? Promise.resolve(tooLarge()) : next();
  });

  app.get('/v1/models', () => handleListModels(() => backend.listModels()));
  app.get('/v1/models/:model', c => handleRetrieveModel(c.req.param('model'), () => backend.listModels()));
  app.get('/v1/usage', () => handleUsage(() => backend.client.usageLimits()));
  app.post('/v1/chat/completions', c =>
    handleChatCompletions({
      request: c.req.raw,
      languageModel: modelId => backend.languageModel(modelId),
      log: c.get('log'),
    }),
  );
  app.post('/v1/responses', c =>
    handleResponses({ request: c.req.raw, client: backend.client, store, log: c.get('log') }),
  );
  app.get('/v1/responses/:id', c => handleRetrieveResponse(store, c.req.param('id'), new URL(c.req.url)));
  app.delete('/v1/responses/:id', c => handleDeleteResponse(store, c.req.param('id')));
  app.get('/v1/responses/:id/input_items', c =>
    handleListInputItems(store, c.req.param('id'), new URL(c.req.url)),
  );

  return app;
}

function errorResponse(error: ProxyError): Response {
  return Response.json(error.toBody(), { status: error.status, headers: error.headers });
}
