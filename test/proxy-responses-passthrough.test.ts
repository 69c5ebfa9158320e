import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { liteFlagOf } from './support/emulator-requests';
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
    // The emulator refuses the Lite header on a classic model, so a Lite one is asked for.
    const response = await postResponses(
      { model: 'gpt-6.2-sol' },
      {
        'x-openai-internal-codex-responses-lite': 'true',
        'x-codex-beta-features': 'remote_compaction_v2,responses_websockets',
      },
    );
    expect(response.status).toBe(200);
    await response.text();
    const [upstream] = harness.emulator.requestsTo('responses');
    expect(liteFlagOf(upstream)).toBe('true');
    expect(upstream?.headers['x-codex-beta-features']).toBe('remote_compaction_v2,responses_websockets');
  });

  it('announces remote compaction v2 for clients that send no beta features, and no Lite header', async () => {
    const response = await postResponses({});
    expect(response.status).toBe(200);
    await response.text();
    const [upstream] = harness.emulator.requestsTo('responses');
    expect(upstream?.headers['x-codex-beta-features']).toBe('remote_compaction_v2');
    expect(liteFlagOf(upstream)).toBeUndefined();
  });

  it('passes remote compaction through: the trigger gets a compaction item, which is accepted back', async () => {
    const history = [
      { role: 'user', content: 'Name a prime number.' },
      { role: 'assistant', content: 'Seven.' },
    ];
    const asked = await postResponses({ input: [...history, { type: 'compaction_trigger' }], stream: false });
    expect(asked.status).toBe(200);
    const response = (await asked.json()) as { output: Array<Record<string, unknown>> };
    const compaction = response.output.find(item => item.type === 'compaction');
    expect(compaction).toMatchObject({ type: 'compaction', encrypted_content: expect.any(String) });

    const next = await postResponses({ input: [compaction, { role: 'user', content: 'Another one.' }] });
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('response.completed');
    const [triggered, replayed] = harness.emulator
      .requestsTo('responses')
      .map(r => r.body as { input: unknown[] });
    expect(triggered?.input.at(-1)).toEqual({ type: 'compaction_trigger' });
    expect(replayed?.input[0]).toEqual(compaction);
  });
});
