import { describe, expect, it } from 'vitest';
import { defaultModelsCatalog } from '../testing/models-catalog';
import { bundledModels } from './bundled-models';
import { modelsResponseSchema, toModelInfo } from './models-catalog';

describe('bundledModels', () => {
  it('says what the live 0.171 catalog says, so a call behaves the same before and after /models is read', () => {
    const live = modelsResponseSchema.parse({ models: defaultModelsCatalog() }).models.map(toModelInfo);
    expect(bundledModels.map(model => model.id)).toEqual(live.map(model => model.id));
    for (const [index, model] of bundledModels.entries()) {
      expect(live[index]).toMatchObject(model);
    }
  });

  it('prefers the WebSocket for every model, as 0.171 reports', () => {
    expect(bundledModels.filter(model => model.preferWebsockets !== true)).toEqual([]);
  });
});
