import type { LanguageModelV4 } from '@ai-sdk/provider';
import { createIdGenerator } from '@ai-sdk/provider-utils';
import { toProxyError } from '../map-error';
import type { RequestLog } from '../proxy-logger';
import { readJsonBody } from '../read-json-body';
import { upstreamHeaders } from '../upstream-headers';
import { aggregateChatCompletion } from './aggregate-chat-completion';
import { createChatChunkMapper } from './chat-completion-chunks';
import { chatCompletionSse } from './chat-completion-sse';
import { chatCompletionsRequestSchema } from './chat-completions-request';
import { convertChatRequest } from './convert-chat-request';
import { throwIfErrorBeforeOutput } from './throw-if-error-before-output';

const generateCompletionId = createIdGenerator({ prefix: 'chatcmpl', size: 29 });

/**
 * `POST /v1/chat/completions`: converts the request into call options, streams it through the language
 * model, and answers with OpenAI's chunks (`stream: true`) or the folded `chat.completion` object.
 */
export async function handleChatCompletions({
  request,
  languageModel,
  log,
  now = Date.now,
}: {
  request: Request;
  languageModel: (modelId: string) => LanguageModelV4;
  log: RequestLog;
  now?: () => number;
}): Promise<Response> {
  const body = await readJsonBody(request, chatCompletionsRequestSchema, log);
  const callOptions = await convertChatRequest(body);
  const model = languageModel(body.model);

  // The request's signal aborts when the client disconnects, which cancels the backend request too.
  const result = await model.doStream({ ...callOptions, abortSignal: request.signal });
  const parts = await throwIfErrorBeforeOutput(result.stream, {
    onWarnings: warnings => log.note(`model warnings=${JSON.stringify(warnings)}`),
  });

  const streaming = body.stream === true;
  const mapper = createChatChunkMapper({
    id: generateCompletionId(),
    created: Math.floor(now() / 1000),
    model: body.model,
    // A non-streaming answer always carries usage, so it is folded from chunks that have it.
    includeUsage: streaming ? body.stream_options?.include_usage === true : true,
    jsonOutput: callOptions.responseFormat?.type === 'json',
    toProxyError: error => toProxyError(error, now),
  });
  const headers = upstreamHeaders(result.response?.headers);

  if (!streaming) {
    return Response.json(await aggregateChatCompletion(parts, mapper), { headers });
  }
  const sse = chatCompletionSse(parts, mapper, { signal: request.signal });
  return new Response(sse, {
    headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
  });
}
