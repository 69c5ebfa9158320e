import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

let harness: ProxyOverEmulator;

beforeAll(async () => {
  harness = await startProxyOverEmulator();
});
afterAll(() => harness?.close());
beforeEach(() => harness.emulator.reset());

const postResponses = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${harness.baseURL}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_API_KEY}`, ...headers },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true, ...body }),
  });

describe("the proxy's /v1/responses passes the Codex CLI's protocol through", () => {
  it("forwards the client's Lite header and beta features", async () => {
    const response = await postResponses(
      {},
      {
        'x-openai-internal-codex-responses-lite': 'true',
        'x-codex-beta-features': 'remote_compaction_v2,responses_websockets',
      },
    );
    expect(response.status).toBe(200);
    await response.text();
    const [upstream] = harness.emulator.requestsTo('responses');
    expect(upstream?.headers['x-openai-internal-codex-responses-lite']).toBe('true');
    expect(upstream?.headers['x-codex-beta-features']).toBe('remote_compaction_v2,responses_websockets');
  });

  it('announces remote compaction v2 for clients that send no beta features, and no Lite header', async () => {
    const response = await postResponses({});
    expect(response.status).toBe(200);
    await response.text();
    const [upstream] = harness.emulator.requestsTo('responses');
    expect(upstream?.headers['x-codex-beta-features']).toBe('remote_compaction_v2');
    expect(upstream?.headers['x-openai-internal-codex-responses-lite']).toBeUndefined();
  });
});
