import type { CodexModelInfo } from '../backend/models-catalog';
import { ProxyError } from './proxy-error';

/** A model in OpenAI's `GET /v1/models` shape. */
export interface OpenAIModel {
  id: string;
  object: 'model';
  /** The catalog has no creation dates; 0 keeps the field a number, as clients expect. */
  created: number;
  owned_by: string;
}

function toOpenAIModel(model: CodexModelInfo): OpenAIModel {
  return { id: model.id, object: 'model', created: 0, owned_by: 'openai' };
}

/** `GET /v1/models`: the live Codex catalog of the logged-in account. */
export async function handleListModels(
  listModels: () => Promise<readonly CodexModelInfo[]>,
): Promise<Response> {
  const models = await listModels();
  return Response.json({ object: 'list', data: models.map(toOpenAIModel) });
}

/** `GET /v1/models/{model}`: one catalog entry, or OpenAI's 404 `model_not_found`. */
export async function handleRetrieveModel(
  modelId: string,
  listModels: () => Promise<readonly CodexModelInfo[]>,
): Promise<Response> {
  const model = (await listModels()).find(entry => entry.id === modelId);
  if (model == null) {
    throw new ProxyError({
      message: `The model '${modelId}' does not exist or is not available to this ChatGPT account.`,
      status: 404,
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    });
  }
  return Response.json(toOpenAIModel(model));
}
