import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodexProxyHandler, createCodexProxy } from '../src/proxy';
import { type CodexEmulator, defaultModelsCatalog, startCodexEmulator, textTurn } from '../src/testing';
import { parseSse } from './support/sse';

// The handler as a Next.js route or any fetch-based server calls it: a web Request in, a web Response out,
// mounted under a base path. The backend behind it is the emulator, over real HTTP.

let emulator: CodexEmulator;
let handler: CodexProxyHandler;
beforeAll(async () => {
  emulator = await startCodexEmulator();
  const login = await emulator.login();
  handler = createCodexProxy({
    basePath: '/api/codex/',
    apiKey: 'route-key',
    codex: {
      baseURL: emulator.baseURL,
      auth: { accessToken: login.accessToken, accountId: login.accountId },
    },
    logger: { info() {}, error() {} },
  });
});
afterAll(() => emulator?.close());

const request = (path: string, init: RequestInit = {}) =>
  new Request(`http://localhost:3000${path}`, {
    ...init,
    headers: { authorization: 'Bearer route-key', 'content-type': 'application/json', ...init.headers },
  });

describe('createCodexProxy as a fetch handler under a base path', () => {
  it('serves the endpoints under the base path only', async () => {
    expect(await (await handler(request('/api/codex/health'))).json()).toEqual({ status: 'ok' });
    const [first] = defaultModelsCatalog();
    emulator.setModels([{ ...first!, slug: 'gpt-live-catalog-check' }]);
    const models = await handler(request('/api/codex/v1/models'));
    expect(models.status).toBe(200);
    expect(await models.json()).toEqual({
      object: 'list',
      data: [{ id: 'gpt-live-catalog-check', object: 'model', created: 0, owned_by: 'openai' }],
    });
    emulator.setModels(defaultModelsCatalog());
    expect((await handler(request('/v1/models'))).status).toBe(404);
  });

  it('answers chat completions, streamed and not, as web Responses', async () => {
    emulator.enqueue(textTurn('Routed.'), textTurn('Routed again.'));
    const body = (stream: boolean) =>
      JSON.stringify({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }], stream });

    const json = await handler(
      request('/api/codex/v1/chat/completions', { method: 'POST', body: body(false) }),
    );
    expect((await json.json()).choices[0].message.content).toBe('Routed.');

    const streamed = await handler(
      request('/api/codex/v1/chat/completions', { method: 'POST', body: body(true) }),
    );
    const events = parseSse(await streamed.text());
    const text = events
      .slice(0, -1)
      .map(event => JSON.parse(event.data).choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('Routed again.');
    expect(events.at(-1)?.data).toBe('[DONE]');
  });
});
