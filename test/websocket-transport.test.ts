import { APICallError, generateText, stepCountIs, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { type CodexProviderSettings, createCodex } from '../src/codex-provider';
import {
  type CodexEmulator,
  defaultModelsCatalog,
  expandTurn,
  functionCallItem,
  httpError,
  reasoningItem,
  stallConnection,
  textTurn,
  turn,
} from '../src/testing';
import { useCodexProviderPerTest } from './support/codex-provider-setup';
import { PROXY_API_KEY, startProxyOverEmulator } from './support/proxy-harness';
import { startRequestCounter } from './support/request-counter';
import { startWorker } from './support/run-worker';
import { runTwoTurnsWithTurnState } from './support/turn-state-loop';

const setup = useCodexProviderPerTest();

const weather = tool({
  description: 'Current weather of a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, temperatureC: city.length * 3 }),
});

/** A three-step loop: two tool calls (with reasoning to replay), then the answer. */
function enqueueLoop(emulator: CodexEmulator): void {
  emulator.enqueue(
    turn([
      reasoningItem(['Looking up Paris.'], { encryptedContent: 'enc-1' }),
      functionCallItem('weather', { city: 'Paris' }, { callId: 'call_1' }),
    ]),
    turn([
      reasoningItem(['Now Rome.'], { encryptedContent: 'enc-2' }),
      functionCallItem('weather', { city: 'Rome' }, { callId: 'call_2' }),
    ]),
    textTurn('Paris 15 °C, Rome 12 °C.'),
  );
}

/** The emulator's random item ids (`msg_…`, `fc_…`, `rs_…`), replaced by their kind. */
const withoutItemIds = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value).replace(/"(\w+)_[0-9a-f]{50}"/g, '"$1_…"'));

/** What a run shows the app, whatever the transport. */
async function runLoop(transport: CodexProviderSettings['transport'], mode: 'generate' | 'stream') {
  // Fixed reset times, so that both runs report the same rate limits.
  const rateLimits = { primary: { resetAt: 1_900_000_000 }, secondary: { resetAt: 1_900_500_000 } };
  const { codex, emulator } = await setup({ provider: { transport }, emulator: { rateLimits } });
  enqueueLoop(emulator);
  const options = {
    model: codex('gpt-5.5'),
    system: 'Use tools when useful.',
    prompt: 'Weather in Paris and Rome?',
    tools: { weather },
    stopWhen: stepCountIs(5),
  };
  const result = mode === 'generate' ? await generateText(options) : streamText(options);
  const steps = await result.steps;
  return {
    emulator,
    seen: withoutItemIds({
      text: await result.text,
      steps: steps.map(step => ({
        finishReason: step.finishReason,
        content: step.content,
      })),
      rateLimits: (await result.providerMetadata)?.codex?.rateLimits,
    }),
  };
}

describe.each(['generate', 'stream'] as const)('a tool loop over the WebSocket (%sText)', mode => {
  it('sends the first step whole and every later step incrementally, with the same results as SSE', async () => {
    const sse = await runLoop('sse', mode);
    const ws = await runLoop('websocket', mode);
    expect(ws.seen).toEqual(sse.seen);

    const requests = ws.emulator.requestsTo('responses');
    expect(requests.map(r => [r.transport, r.websocket?.incremental])).toEqual([
      ['websocket', false],
      ['websocket', true],
      ['websocket', true],
    ]);
    expect(new Set(requests.map(r => r.websocket?.connection))).toEqual(new Set([1]));
    // The later steps send only the tool's output: the backend has the call and the reasoning.
    expect((requests[1]!.body as { input: unknown[] }).input).toEqual([
      {
        type: 'function_call_output',
        id: expect.stringMatching(/^fco_/),
        call_id: 'call_1',
        output: '{"city":"Paris","temperatureC":15}',
      },
    ]);
    expect(ws.emulator.counters.websocketBytesReceived).toBeLessThan(
      sse.emulator.requestsTo('responses').reduce((sum, r) => sum + r.bodyText.length, 0),
    );
  });
});

describe('the WebSocket transport', () => {
  const prompt = 'Weather in Paris and Rome?';

  it('sends the whole input again on a new connection after the old one was cut', async () => {
    const { codex, emulator } = await setup({ provider: { transport: 'websocket' } });
    enqueueLoop(emulator);
    const result = await generateText({
      model: codex('gpt-5.5'),
      prompt,
      tools: {
        weather: tool({
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => {
            // Between the first and the second step the backend drops the idle connection.
            if (city === 'Paris') emulator.dropWebSockets();
            return { city };
          },
        }),
      },
      stopWhen: stepCountIs(5),
    });
    expect(result.text).toBe('Paris 15 °C, Rome 12 °C.');
    const requests = emulator.requestsTo('responses');
    expect(requests.map(r => [r.websocket?.connection, r.websocket?.incremental])).toEqual([
      [1, false],
      [2, false],
      [2, true],
    ]);
  });

  it('marks each message Lite or not, as the CLI does, so one connection serves a Lite and a classic model', async () => {
    const { codex, emulator } = await setup({ provider: { transport: 'websocket' } });
    emulator.enqueue(textTurn('From the Lite model.'), textTurn('From gpt-5.5.'));
    // The same prompt is the same conversation, so both calls take the one connection in turn.
    const lite = await generateText({ model: codex('gpt-6.2-sol'), prompt: 'Hi' });
    const classic = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi' });
    expect([lite.text, classic.text]).toEqual(['From the Lite model.', 'From gpt-5.5.']);

    const [upgrade] = emulator.requestsTo('websocket');
    expect(upgrade?.headers).not.toHaveProperty('x-openai-internal-codex-responses-lite');
    const requests = emulator.requestsTo('responses');
    expect(requests.map(r => r.websocket?.connection)).toEqual([1, 1]);
    expect(
      requests.map(r => (r.body as { client_metadata?: Record<string, string> }).client_metadata),
    ).toEqual([{ ws_request_header_x_openai_internal_codex_responses_lite: 'true' }, undefined]);
  });

  it("echoes the turn's first response.metadata token on its later steps, in client_metadata as the CLI does, not into the next turn", async () => {
    const { codex, emulator } = await setup({ provider: { transport: 'websocket' } });
    await runTwoTurnsWithTurnState(codex, emulator, weather);

    const requests = emulator.requestsTo('responses');
    expect(requests.map(r => [r.transport, r.websocket?.connection])).toEqual([
      ['websocket', 1],
      ['websocket', 1],
      ['websocket', 1],
      ['websocket', 1],
    ]);
    // Every step of the turn sends the first response's token back, as the CLI does; the next turn none.
    expect(
      requests.map(r => (r.body as { client_metadata?: Record<string, string> }).client_metadata),
    ).toEqual([undefined, { 'x-codex-turn-state': 'turn-1' }, { 'x-codex-turn-state': 'turn-1' }, undefined]);
    // The token is the request's, not the connection's: the upgrade does not carry it.
    const [upgrade] = emulator.requestsTo('websocket');
    expect(upgrade?.headers).not.toHaveProperty('x-codex-turn-state');
  });

  it('keeps the turn state of a response.metadata message that comes among the events, after response.created', async () => {
    const { codex, emulator } = await setup({ provider: { transport: 'websocket' } });
    const events = expandTurn(turn([functionCallItem('weather', { city: 'Paris' })]), {
      request: { model: 'gpt-5.5' },
      now: Math.floor(Date.now() / 1000),
    });
    events.splice(1, 0, { type: 'response.metadata', headers: { 'x-codex-turn-state': 'late-1' } });
    emulator.enqueue({ type: 'events', events }, textTurn('15 °C.'));
    await generateText({
      model: codex('gpt-5.5'),
      prompt: 'Weather in Paris?',
      tools: { weather },
      stopWhen: stepCountIs(2),
    });

    expect(events[0]?.type).toBe('response.created');
    expect(
      emulator
        .requestsTo('responses')
        .map(r => (r.body as { client_metadata?: Record<string, string> }).client_metadata),
    ).toEqual([undefined, { 'x-codex-turn-state': 'late-1' }]);
  });

  it('sends the whole input again after previous_response_not_found, with the same answer', async () => {
    const { codex, emulator } = await setup({ provider: { transport: 'websocket' } });
    emulator.enqueue(
      turn([functionCallItem('weather', { city: 'Paris' }, { callId: 'call_1' })]),
      {
        type: 'events',
        events: [
          {
            type: 'error',
            status: 400,
            error: { type: 'invalid_request_error', code: 'previous_response_not_found', message: 'gone' },
          },
        ],
      },
      textTurn('Paris 15 °C.'),
    );
    const result = await generateText({
      model: codex('gpt-5.5'),
      prompt,
      tools: { weather },
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('Paris 15 °C.');
    const requests = emulator.requestsTo('responses');
    expect(requests.map(r => [r.websocket?.connection, r.websocket?.incremental])).toEqual([
      [1, false],
      [1, true],
      [2, false],
    ]);
    expect((requests[2]!.body as { input: unknown[] }).input).toHaveLength(3);
  });

  it('fails retryably, like SSE, when the connection drops mid-stream; a retry starts over', async () => {
    const { codex, emulator } = await setup({ provider: { transport: 'websocket' } });
    emulator.enqueue(
      textTurn('cut short', { dropAfter: 4 }),
      textTurn('cut again', { dropAfter: 4 }),
      textTurn('whole'),
    );
    const failure = await generateText({ model: codex('gpt-5.5'), prompt, maxRetries: 0 }).catch(
      (error: unknown) => error,
    );
    expect(APICallError.isInstance(failure) && failure.isRetryable).toBe(true);

    const retried = await generateText({ model: codex('gpt-5.5'), prompt, maxRetries: 1 });
    expect(retried.text).toBe('whole');
    expect(emulator.counters.websocketConnections).toBe(3);
  });

  it('ends a stall mid-answer with the retryable idle-timeout error, like SSE; a retry takes a new connection', async () => {
    const { codex, emulator } = await setup({
      provider: { transport: 'websocket', streamIdleTimeoutMs: 500 },
    });
    emulator.enqueue(textTurn('one two three four five six', { stallAfter: 6 }), textTurn('Patience pays.'));
    const { stream } = await codex('gpt-5.5').doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    });
    const reader = stream.getReader();
    let text = '';
    let thrown: unknown;
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        if (read.value.type === 'text-delta') text += read.value.delta;
      }
    } catch (error) {
      thrown = error;
    }
    expect(text).toBe('one two');
    expect(APICallError.isInstance(thrown) && thrown.isRetryable).toBe(true);
    expect((thrown as Error).message).toMatch(/idle timeout/);

    const retried = await generateText({ model: codex('gpt-5.5'), prompt });
    expect(retried.text).toBe('Patience pays.');
    expect(emulator.counters.websocketConnections).toBe(2);
  });

  it('stops the generation when the call is aborted: the connection is closed', async () => {
    const { codex, emulator } = await setup({ provider: { transport: 'websocket' } });
    emulator.enqueue(textTurn('one two three four five six', { delayMs: 300 }));
    const controller = new AbortController();
    const result = streamText({ model: codex('gpt-5.5'), prompt, abortSignal: controller.signal });
    for await (const delta of result.textStream) {
      if (delta.length > 0) break;
    }
    controller.abort();
    await expect.poll(() => emulator.counters.clientClosedStreams).toBe(1);
    expect(emulator.counters.completedStreams).toBe(0);
  });

  it('refreshes a token that expired while its connection was open, as over SSE: the retry takes a new connection', async () => {
    const { emulator, login } = await setup();
    let current = { accessToken: login.accessToken, accountId: login.accountId };
    let refreshes = 0;
    const codex = createCodex({
      baseURL: emulator.baseURL,
      transport: 'websocket',
      auth: {
        getCredentials: async () => current,
        handleUnauthorized: async () => {
          refreshes++;
          const fresh = await emulator.login({ accountId: login.accountId });
          current = { accessToken: fresh.accessToken, accountId: fresh.accountId };
          return current;
        },
      },
    });
    emulator.enqueue(textTurn('First.'), textTurn('Second.'));
    await generateText({ model: codex('gpt-5.5'), prompt });
    emulator.expireAccessToken(login.accessToken);
    const second = await generateText({ model: codex('gpt-5.5'), prompt, maxRetries: 0 });
    expect(second.text).toBe('Second.');
    expect(refreshes).toBe(1);
    expect(emulator.counters.unauthorized).toBe(1);
    expect(emulator.requestsTo('responses').map(r => r.websocket?.connection)).toEqual([1, 1, 2]);
  });

  it('opens a new connection for a refreshed token instead of sending it over one opened with the old', async () => {
    const { emulator, login } = await setup();
    let current = { accessToken: login.accessToken, accountId: login.accountId };
    const codex = createCodex({
      baseURL: emulator.baseURL,
      transport: 'websocket',
      auth: { getCredentials: async () => current },
    });
    emulator.enqueue(textTurn('First.'), textTurn('Second.'));
    await generateText({ model: codex('gpt-5.5'), prompt });
    // Refreshed ahead of its expiry, as the token manager does: the old one still works.
    const fresh = await emulator.login({ accountId: login.accountId });
    current = { accessToken: fresh.accessToken, accountId: fresh.accountId };
    await generateText({ model: codex('gpt-5.5'), prompt });
    const requests = emulator.requestsTo('responses');
    expect(requests.map(r => r.websocket?.connection)).toEqual([1, 2]);
    expect(requests[1]!.headers.authorization).toBe(`Bearer ${fresh.accessToken}`);
  });

  it('sends nothing when the call was aborted while its credentials were read', async () => {
    const { emulator, login } = await setup();
    const controller = new AbortController();
    let calls = 0;
    const codex = createCodex({
      baseURL: emulator.baseURL,
      transport: 'websocket',
      auth: {
        getCredentials: async () => {
          // The second call is aborted while it waits for its credentials (a refresh, say).
          if (++calls === 2) controller.abort();
          return { accessToken: login.accessToken, accountId: login.accountId };
        },
      },
    });
    emulator.enqueue(textTurn('First.'), textTurn('Second.'));
    await generateText({ model: codex('gpt-5.5'), prompt });
    const aborted = generateText({
      model: codex('gpt-5.5'),
      prompt,
      abortSignal: controller.signal,
      maxRetries: 0,
    });
    await expect(aborted).rejects.toThrow();
    expect(emulator.counters.requests.responses).toBe(1);
  });

  it('gives a call whose headers differ a connection of its own, so that they reach the backend', async () => {
    const { codex, emulator } = await setup({ provider: { transport: 'websocket' } });
    emulator.enqueue(textTurn('One.'), textTurn('Two.'), textTurn('Three.'));
    for (const trace of ['a', 'b', 'b']) {
      await generateText({ model: codex('gpt-5.5'), prompt, headers: { 'x-trace': trace } });
    }
    const requests = emulator.requestsTo('responses');
    expect(requests.map(r => [r.websocket?.connection, r.headers['x-trace']])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [2, 'b'],
    ]);
  });

  it.each(['sse', 'websocket'] as const)(
    'answers 5xx and rate-limit errors retryably, so that ai retries until the backend recovers (%s)',
    async transport => {
      const { codex, emulator } = await setup({ provider: { transport } });
      // ai honours retry-after-ms, so the retries need not wait for its backoff.
      const now = { 'retry-after-ms': '0' };
      emulator.enqueue(
        httpError(500, { detail: 'boom' }, now),
        httpError(503, { error: { message: 'overloaded', type: 'server_error' } }, now),
        httpError(429, { error: { type: 'rate_limit_exceeded', message: 'Slow down.' } }, now),
        textTurn('Recovered.'),
      );
      const result = await generateText({ model: codex('gpt-5.5'), prompt, maxRetries: 3 });
      expect(result.text).toBe('Recovered.');
      expect(emulator.requestsTo('responses').map(r => r.transport)).toEqual(
        Array(4).fill(transport === 'sse' ? 'http' : 'websocket'),
      );
    },
  );

  it('throws the same usage-limit error as SSE', async () => {
    const errors = await Promise.all(
      (['sse', 'websocket'] as const).map(async transport => {
        const { codex, emulator } = await setup({ provider: { transport } });
        emulator.setRateLimits({ primary: { usedPercent: 100, resetAt: 1_900_000_000 } });
        const error = (await generateText({ model: codex('gpt-5.5'), prompt, maxRetries: 0 }).catch(
          (e: unknown) => e,
        )) as APICallError;
        return {
          name: error.name,
          message: error.message,
          status: error.statusCode,
          retryable: error.isRetryable,
        };
      }),
    );
    expect(errors[1]).toEqual(errors[0]);
    expect(errors[0]?.status).toBe(429);
  });

  it("'auto' takes the WebSocket from the first call: the bundled catalog prefers it, /models is not read", async () => {
    const { codex, emulator } = await setup();
    await generateText({ model: codex('gpt-6.2-sol'), prompt });
    await generateText({ model: codex('gpt-5.5'), prompt: 'A new conversation' });
    expect(emulator.requestsTo('responses').map(r => r.transport)).toEqual(['websocket', 'websocket']);
    expect(emulator.counters.requests.models).toBe(0);
  });

  it("'auto' follows the live catalog's prefer_websockets and falls back to SSE when the upgrade fails", async () => {
    const { codex, emulator } = await setup();
    emulator.setModels(
      defaultModelsCatalog().map(model => ({ ...model, prefer_websockets: model.slug === 'gpt-5.5' })),
    );
    await codex.listModels();
    await generateText({ model: codex('gpt-5.5'), prompt });
    await generateText({ model: codex('gpt-6-luna'), prompt });
    emulator.fault({ type: 'http', status: 404, body: { detail: 'Not Found' } }, { route: 'websocket' });
    await generateText({ model: codex('gpt-5.5'), prompt: 'A new conversation' });
    expect(emulator.requestsTo('responses').map(r => r.transport)).toEqual(['websocket', 'http', 'http']);
  });
});

describe('when the upgrade fails', () => {
  it("'auto' falls back to SSE in time when the upgrade is never answered; 'websocket' fails retryably", async () => {
    const { emulator, login } = await setup();
    // An HTTP relay that passes requests, not upgrades: the client's upgrade waits for an answer forever.
    const relay = await startRequestCounter(emulator.url);
    try {
      const through = (transport: CodexProviderSettings['transport']) =>
        createCodex({
          baseURL: `${relay.url}/backend-api/codex`,
          auth: { accessToken: login.accessToken, accountId: login.accountId },
          streamIdleTimeoutMs: 2_000,
          transport,
        })('gpt-5.5');
      const result = await generateText({ model: through('auto'), prompt: 'Hi', maxRetries: 0 });
      expect(result.text).not.toBe('');
      expect(emulator.requestsTo('responses').map(r => r.transport)).toEqual(['http']);

      const failure = await generateText({ model: through('websocket'), prompt: 'Hi', maxRetries: 0 }).catch(
        (error: unknown) => error,
      );
      expect(APICallError.isInstance(failure) && failure.isRetryable).toBe(true);
      expect((failure as Error).message).toMatch(/handshake has timed out/);
    } finally {
      await relay.close();
    }
  });

  it('an abort still reaches the SSE request that stands in for a refused upgrade', async () => {
    const { codex, emulator } = await setup();
    emulator.fault({ type: 'http', status: 404, body: { detail: 'Not Found' } }, { route: 'websocket' });
    emulator.fault(stallConnection());
    const controller = new AbortController();
    const call = generateText({
      model: codex('gpt-5.5'),
      prompt: 'Hi',
      abortSignal: controller.signal,
      maxRetries: 0,
    }).catch((error: unknown) => error);
    await expect.poll(() => emulator.requestsTo('responses').length).toBe(1);
    controller.abort();
    const ended = await Promise.race([
      call,
      new Promise(resolve => setTimeout(resolve, 5_000, 'still waiting')),
    ]);
    expect(ended).toSatisfy(error => error instanceof Error && error.name === 'AbortError');
    expect(emulator.requestsTo('responses').map(r => r.transport)).toEqual(['http']);
  });
});

describe('a script that used the WebSocket', () => {
  it('exits when it ends, though its idle connection is still open', async () => {
    const { emulator, login } = await setup();
    const worker = await startWorker(
      {
        CODEX_BASE_URL: emulator.baseURL,
        CODEX_ACCESS_TOKEN: login.accessToken,
        CODEX_ACCOUNT_ID: login.accountId,
      },
      { script: 'websocket-worker' },
    );
    // An idle connection that held the process would keep it alive for minutes.
    const exited = await Promise.race([
      worker.result,
      new Promise(resolve => setTimeout(resolve, 15_000, 'still running')),
    ]);
    worker.kill('SIGKILL');
    expect(exited).toEqual({ status: 0, text: expect.stringContaining('Say hello') });
    expect(emulator.requestsTo('responses').map(r => r.transport)).toEqual(['websocket']);
  }, 30_000);
});

describe('the proxy over the WebSocket transport', () => {
  it('sends the Responses requests of its HTTP clients over the WebSocket, later turns incrementally', async () => {
    const harness = await startProxyOverEmulator({ proxy: { codex: { transport: 'websocket' } } });
    try {
      const post = async (input: unknown[]) => {
        const response = await fetch(`${harness.baseURL}/responses`, {
          method: 'POST',
          headers: { authorization: `Bearer ${PROXY_API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-5.5', input, prompt_cache_key: 'proxy-conversation' }),
        });
        expect(response.status).toBe(200);
        return (await response.json()) as { output: unknown[]; output_text?: string };
      };
      const user = (text: string) => ({ role: 'user', content: [{ type: 'input_text', text }] });
      const first = await post([user('First question')]);
      const second = await post([user('First question'), ...first.output, user('Second question')]);
      expect(JSON.stringify(second.output)).toContain('Second question');

      const requests = harness.emulator.requestsTo('responses');
      expect(requests.map(r => [r.transport, r.websocket?.incremental])).toEqual([
        ['websocket', false],
        ['websocket', true],
      ]);
      expect((requests[1]!.body as { input: unknown[] }).input).toHaveLength(1);
    } finally {
      await harness.close();
    }
  });
});
