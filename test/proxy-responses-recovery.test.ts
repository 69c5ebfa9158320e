import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

// The backend's quirks are remembered per base URL for the process: this file's emulator is its own.
let harness: ProxyOverEmulator;

beforeAll(async () => {
  harness = await startProxyOverEmulator();
});
afterAll(() => harness?.close());
beforeEach(() => harness.emulator.reset());

const postResponses = (body: Record<string, unknown>) =>
  fetch(`${harness.baseURL}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_API_KEY}` },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi', stream: true, ...body }),
  });

const upstreamBodies = () =>
  harness.emulator.requestsTo('responses').map(request => request.body as Record<string, unknown>);

describe("the proxy's /v1/responses recovers from the backend's rules as the model does", () => {
  it('drops a parameter the backend calls unsupported, retries, and leaves it out of later requests', async () => {
    harness.emulator.fault({
      type: 'http',
      status: 400,
      body: { detail: 'Unsupported parameter: reasoning.summary' },
    });

    const first = await postResponses({ reasoning: { effort: 'low', summary: 'auto' } });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('response.completed');
    const second = await postResponses({ reasoning: { effort: 'low', summary: 'auto' } });
    expect(second.status).toBe(200);
    await second.text();

    const [refused, retried, later] = upstreamBodies();
    expect(refused?.reasoning).toEqual({ effort: 'low', summary: 'auto' });
    expect(retried?.reasoning).toEqual({ effort: 'low' });
    expect(later?.reasoning).toEqual({ effort: 'low' });
  });

  it('adds default instructions when the backend requires them', async () => {
    harness.emulator.setValidation({ instructions: true });
    try {
      const response = await postResponses({});
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('response.completed');
    } finally {
      harness.emulator.setValidation({ instructions: false });
    }
    const [refused, retried] = upstreamBodies();
    expect(refused?.instructions).toBeUndefined();
    expect(retried?.instructions).toBe('You are a helpful assistant.');
  });
});
