import { z } from 'zod/v4';
import { ProxyError } from '../proxy-error';
import type { ResponseStore } from './response-store';

/** The query of `GET /v1/responses/{id}/input_items`, as OpenAI documents it (`include` changes nothing here). */
const inputItemsQuerySchema = z.object({
  after: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
});

/** `GET /v1/responses/{id}`: a response the proxy kept (`store` not false), as it was answered. */
export function handleRetrieveResponse(store: ResponseStore, responseId: string, url: URL): Response {
  if (url.searchParams.get('stream') === 'true') {
    throw new ProxyError({
      message:
        'stream is not supported when retrieving a response: the proxy keeps the finished response, not its events. Retrieve it without stream.',
      param: 'stream',
    });
  }
  const response = store.get(responseId);
  if (response == null) throw responseNotFound(responseId);
  return Response.json(response);
}

/** `DELETE /v1/responses/{id}`: forgets a kept response and its items. */
export function handleDeleteResponse(store: ResponseStore, responseId: string): Response {
  if (!store.delete(responseId)) throw responseNotFound(responseId);
  return Response.json({ id: responseId, object: 'response', deleted: true });
}

/** `GET /v1/responses/{id}/input_items`: one page of the input a kept response was made from. */
export function handleListInputItems(store: ResponseStore, responseId: string, url: URL): Response {
  const query = inputItemsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) {
    const issue = query.error.issues[0];
    const param = String(issue?.path[0] ?? '');
    throw new ProxyError({ message: `Invalid value for '${param}': ${issue?.message}.`, param });
  }
  const { after, limit, order } = query.data;

  const items = store.inputItems(responseId);
  if (items == null) throw responseNotFound(responseId);
  if (order === 'desc') items.reverse();
  let start = 0;
  if (after != null) {
    start = items.findIndex(item => item.id === after) + 1;
    if (start === 0) {
      throw new ProxyError({
        message: `No input item with id '${after}' in response '${responseId}'. Pass the id of an item listed before.`,
        param: 'after',
      });
    }
  }
  const page = items.slice(start, start + limit);
  return Response.json({
    object: 'list',
    data: page,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
    has_more: start + limit < items.length,
  });
}

function responseNotFound(responseId: string): ProxyError {
  return new ProxyError({
    message: `Response with id '${responseId}' not found. The proxy keeps recent responses in memory only (the Codex backend stores none), and only those created with store not false: it may have restarted or forgotten it.`,
    status: 404,
    param: 'response_id',
    code: 'response_not_found',
  });
}
