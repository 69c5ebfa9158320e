import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { CodexUsageLimitWait } from '../src/backend/usage-limit-settings';
import type { CodexEmulatorOptions } from '../src/testing';
import { PROXY_API_KEY, type ProxyOverEmulator, startProxyOverEmulator } from './support/proxy-harness';

// The proxy with `onUsageLimit`, in front of an emulator whose usage window fills up in a few requests.

let harness: ProxyOverEmulator | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(
  usageWindow: NonNullable<CodexEmulatorOptions['usageWindow']>,
  onUsageLimit: { wait?: boolean; maxWaitMs?: number; fallbackModels?: string[] },
) {
  const waits: Array<CodexUsageLimitWait & { startedAt: number }> = [];
  harness = await startProxyOverEmulator({
    emulator: { usageWindow },
    proxy: {
      codex: {
        onUsageLimit: { ...onUsageLimit, onWait: wait => waits.push({ ...wait, startedAt: Date.now() }) },
      },
    },
  });
  const client = new OpenAI({ baseURL: harness.baseURL, apiKey: PROXY_API_KEY, maxRetries: 0 });
  return { harness, client, waits };
}

describe('the proxy waiting out a usage limit', () => {
  it('completes a 20-call run across the limit, with no backend request during a wait', async () => {
    const { harness, client, waits } = await start(
      { requests: 6, resetAfterSeconds: 2 },
      { wait: true, maxWaitMs: 10_000 },
    );

    const answers: string[] = [];
    for (let call = 0; call < 20; call += 1) {
      let text = '';
      if (call % 2 === 0) {
        const stream = await client.chat.completions.create({
          model: 'gpt-5.5',
          messages: [{ role: 'user', content: `Call ${call}` }],
          stream: true,
        });
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      } else {
        const stream = await client.responses.create({
          model: 'gpt-5.5',
          input: `Call ${call}`,
          stream: true,
        });
        for await (const event of stream)
          if (event.type === 'response.output_text.delta') text += event.delta;
      }
      answers.push(text);
    }

    expect(answers.every(text => text.length > 0)).toBe(true);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    const { emulator } = harness;
    expect(emulator.counters.usageLimitRejections).toBe(waits.length);
    expect(emulator.requestsTo('responses')).toHaveLength(20 + waits.length);
    const duringWaits = emulator
      .requestsTo('responses')
      .filter(request =>
        waits.some(
          wait =>
            request.receivedAt.getTime() > wait.startedAt &&
            request.receivedAt.getTime() < wait.resetsAt.getTime(),
        ),
      );
    expect(duringWaits).toEqual([]);
    // Every wait is logged.
    expect(harness.logLines.filter(line => /holding the request \d+ s, until /.test(line))).toHaveLength(
      waits.length,
    );
  });

  it('sends a streaming client its first byte only when the answer starts', async () => {
    const { harness, waits } = await start(
      { requests: 1, resetAfterSeconds: 2 },
      { wait: true, maxWaitMs: 10_000 },
    );
    const post = () =>
      fetch(`${harness.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PROXY_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
      });
    await (await post()).text();

    const response = await post();
    const answeredAt = Date.now();
    expect(waits).toHaveLength(1);
    expect(answeredAt).toBeGreaterThanOrEqual(waits[0]!.resetsAt.getTime());
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body.startsWith('data: {')).toBe(true);
    expect(body.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('logs a wait as one line, whatever the model name a client sent', async () => {
    const { harness, client, waits } = await start(
      { requests: 1, resetAfterSeconds: 1 },
      { wait: true, maxWaitMs: 10_000 },
    );
    await client.responses.create({ model: 'gpt-5.5', input: 'Hi' });
    const forged = 'gpt-5.5\n← POST /v1/forged 200';
    await client.responses.create({ model: forged, input: 'Hi' }).catch(() => {});

    expect(waits.map(wait => wait.modelId)).toEqual([forged]);
    expect(
      harness.logLines.some(line => line.includes('usage limit of gpt-5.5\\n← POST /v1/forged 200')),
    ).toBe(true);
    expect(harness.logLines.some(line => line.includes('\n'))).toBe(false);
  });

  it('ends the wait of a client that disconnects: its request is never sent', async () => {
    const { harness, client, waits } = await start(
      { requests: 1, resetAfterSeconds: 2 },
      { wait: true, maxWaitMs: 10_000 },
    );
    await client.responses.create({ model: 'gpt-5.5', input: 'Hi' });

    const controller = new AbortController();
    const call = client.responses.create({ model: 'gpt-5.5', input: 'Gone' }, { signal: controller.signal });
    await expect.poll(() => waits.length).toBe(1);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);

    // Past the reset, the held request would have gone out; it was dropped with its client.
    await new Promise(resolve =>
      setTimeout(resolve, Math.max(0, waits[0]!.resetsAt.getTime() - Date.now()) + 500),
    );
    expect(harness.emulator.requestsTo('responses')).toHaveLength(2);
  });

  it('answers 429 with retry-after at once when the reset is later than the maximum wait', async () => {
    const { harness, client, waits } = await start(
      { requests: 1, resetAfterSeconds: 600 },
      { wait: true, maxWaitMs: 1_000 },
    );
    await client.responses.create({ model: 'gpt-5.5', input: 'Hi' });

    const started = Date.now();
    const error = await client.responses.create({ model: 'gpt-5.5', input: 'Over' }).catch(caught => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBe(429);
    expect(Number(error.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(error.message).toMatch(/maximum wait/);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(waits).toEqual([]);
    expect(harness.emulator.requestsTo('responses')).toHaveLength(2);
  });

  it('answers /v1/responses with the fallback model while the requested one is limited', async () => {
    const { harness, client } = await start(
      { requests: 1, resetAfterSeconds: 600, models: ['gpt-5.5'] },
      { fallbackModels: ['gpt-6-luna'] },
    );
    await client.responses.create({ model: 'gpt-5.5', input: 'First' });
    const second = await client.responses.create({ model: 'gpt-5.5', input: 'Second' });
    const third = await client.responses.create({ model: 'gpt-5.5', input: 'Third' });

    expect([second.model, third.model]).toEqual(['gpt-6-luna', 'gpt-6-luna']);
    expect(
      harness.emulator.requestsTo('responses').map(request => (request.body as { model: string }).model),
    ).toEqual(['gpt-5.5', 'gpt-5.5', 'gpt-6-luna', 'gpt-6-luna']);
  });
});

describe('GET /v1/usage', () => {
  it('returns the last known limits per account without asking the backend', async () => {
    const { harness, client } = await start({ requests: 4, resetAfterSeconds: 600 }, {});
    await client.responses.create({ model: 'gpt-5.5', input: 'Hi' });
    const backendRequests = harness.emulator.requests.length;

    const response = await fetch(`${harness.baseURL}/usage`, {
      headers: { authorization: `Bearer ${PROXY_API_KEY}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      object: 'codex.usage',
      accounts: [
        {
          accountId: harness.login.accountId,
          rateLimits: expect.objectContaining({
            primary: expect.objectContaining({ usedPercent: 25, resetsAt: expect.any(String) }),
          }),
          updatedAt: expect.any(String),
          exhausted: [],
        },
      ],
    });
    expect(harness.emulator.requests).toHaveLength(backendRequests);

    const unauthorized = await fetch(`${harness.baseURL}/usage`);
    expect(unauthorized.status).toBe(401);
  });
});
