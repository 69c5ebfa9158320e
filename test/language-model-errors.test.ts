import { APICallError, type LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { isProviderStreamError } from '@ai-sdk/provider-utils';
import { generateText } from 'ai';
import { describe, expect, it } from 'vitest';
import type { CodexAuth } from '../src/auth/codex-auth';
import { CodexUsageLimitError } from '../src/backend/codex-usage-limit-error';
import { createCodex } from '../src/codex-provider';
import { failedTurn, httpError, messageItem, textTurn } from '../src/testing';
import { streamParts, useCodexProviderPerTest } from './support/codex-provider-setup';

const setup = useCodexProviderPerTest();

const prompt: LanguageModelV4CallOptions['prompt'] = [
  { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
];

describe('HTTP errors', () => {
  it.each([
    [500, true],
    [502, true],
    [503, true],
    [408, true],
    [409, true],
    [400, false],
    [403, false],
    [404, false],
  ])('status %i is an APICallError with isRetryable %s', async (status, isRetryable) => {
    const { codex, emulator } = await setup();
    emulator.enqueue(httpError(status, { detail: `failure ${status}` }));
    await expect(codex('gpt-5.5').doStream({ prompt })).rejects.toSatisfy(
      error =>
        APICallError.isInstance(error) &&
        error.statusCode === status &&
        error.isRetryable === isRetryable &&
        error.message === `failure ${status}`,
    );
  });

  it('surfaces the backend detail verbatim', async () => {
    const { codex } = await setup();
    await expect(codex('gpt-9-unknown').doGenerate({ prompt })).rejects.toThrow(
      "The 'gpt-9-unknown' model is not supported when using Codex with a ChatGPT account.",
    );
  });

  it('lets ai retry retryable errors', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(httpError(503, { detail: 'overloaded' }), textTurn('Recovered.'));
    const result = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 1 });
    expect(result.text).toBe('Recovered.');
    expect(emulator.requestsTo('responses')).toHaveLength(2);
  });

  it('keeps the access token out of thrown errors', async () => {
    const { codex, emulator, login } = await setup();
    emulator.enqueue(httpError(500, { detail: 'boom' }));
    const error = await Promise.resolve(codex('gpt-5.5').doGenerate({ prompt })).catch(
      (caught: unknown) => caught,
    );
    expect(APICallError.isInstance(error)).toBe(true);
    const apiError = error as APICallError;
    expect(JSON.stringify({ ...apiError, message: apiError.message })).not.toContain(login.accessToken);
  });
});

describe('usage limit', () => {
  it('throws a non-retryable CodexUsageLimitError with resetsAt, planType and rate limits', async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 3600;
    const { codex, emulator } = await setup({
      emulator: { rateLimits: { primary: { usedPercent: 100, resetAt } } },
    });
    const error = await generateText({ model: codex('gpt-5.5'), prompt: 'Hi', maxRetries: 2 }).catch(
      caught => caught,
    );
    expect(CodexUsageLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      statusCode: 429,
      isRetryable: false,
      planType: 'plus',
      resetsAt: new Date(resetAt * 1000),
      rateLimits: { primary: { usedPercent: 100, resetsAt: new Date(resetAt * 1000).toISOString() } },
    });
    expect(error.message).toMatch(/usage limit/);
    // Not retried by ai.
    expect(emulator.requestsTo('responses')).toHaveLength(1);
  });
});

describe('errors inside the stream', () => {
  it('throws response.failed that comes before any output', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(
      failedTurn({ code: 'context_length_exceeded', message: 'Your input exceeds the context window.' }),
    );
    await expect(codex('gpt-5.5').doStream({ prompt })).rejects.toMatchObject({
      message: 'Your input exceeds the context window.',
      statusCode: 400,
      isRetryable: false,
    });
  });

  it('emits response.failed after output as an error part', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(
      failedTurn(
        { code: 'server_error', message: 'Something broke.' },
        { output: [messageItem('Partial answer')] },
      ),
    );
    const { stream } = await codex('gpt-5.5').doStream({ prompt });
    const parts = await streamParts(stream);
    const text = parts.map(part => (part.type === 'text-delta' ? part.delta : '')).join('');
    expect(text).toBe('Partial answer');
    const error = parts.find(part => part.type === 'error');
    expect(error?.type === 'error' && isProviderStreamError(error.error)).toBe(true);
    expect(error).toMatchObject({ error: { message: 'Something broke.', isRetryable: true } });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'error' } });
  });

  it('throws from doGenerate when the stream fails after output', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(
      failedTurn({ code: 'server_error', message: 'Something broke.' }, { output: [messageItem('Partial')] }),
    );
    await expect(codex('gpt-5.5').doGenerate({ prompt })).rejects.toSatisfy(
      error => APICallError.isInstance(error) && error.message === 'Something broke.' && error.isRetryable,
    );
  });

  it('reports a connection dropped mid-stream as a retryable error', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(textTurn('one two three four five six seven', { dropAfter: 5 }));
    const { stream } = await codex('gpt-5.5').doStream({ prompt });
    await expect(streamParts(stream)).rejects.toSatisfy(
      error => APICallError.isInstance(error) && error.isRetryable,
    );
  });
});

describe('backend rule drift', () => {
  it('drops a parameter the backend calls unsupported, retries once and remembers it', async () => {
    const { codex, emulator, responseBodies } = await setup();
    emulator.enqueue(
      httpError(400, { detail: 'Unsupported parameter: service_tier' }),
      textTurn('a'),
      textTurn('b'),
    );
    const model = codex('gpt-5.5');

    const first = await model.doGenerate({ prompt, providerOptions: { codex: { serviceTier: 'priority' } } });
    const second = await model.doGenerate({
      prompt,
      providerOptions: { codex: { serviceTier: 'priority' } },
    });

    expect(responseBodies().map(body => body.service_tier)).toEqual(['priority', undefined, undefined]);
    for (const result of [first, second]) {
      expect(result.warnings).toEqual([
        { type: 'other', message: expect.stringContaining('does not accept the parameter "service_tier"') },
      ]);
    }
  });

  it('does not retry when the unsupported parameter was not sent', async () => {
    const { codex, emulator } = await setup();
    emulator.enqueue(httpError(400, { detail: 'Unsupported parameter: temperature' }));
    await expect(codex('gpt-5.5').doGenerate({ prompt })).rejects.toThrow(
      'Unsupported parameter: temperature',
    );
    expect(emulator.requestsTo('responses')).toHaveLength(1);
  });

  it('retries once with default instructions when the backend requires them, and remembers it', async () => {
    const { codex, emulator, responseBodies } = await setup({
      emulator: { validation: { instructions: true } },
    });
    emulator.enqueue(textTurn('a'), textTurn('b'));
    const model = codex('gpt-5.5');

    await model.doGenerate({ prompt });
    await model.doGenerate({ prompt });
    await model.doGenerate({ prompt: [{ role: 'system', content: 'Be terse.' }, ...prompt] });

    // System messages travel as developer messages, so the remembered default still fills `instructions`.
    expect(responseBodies().map(body => body.instructions)).toEqual([
      undefined,
      'You are a helpful assistant.',
      'You are a helpful assistant.',
      'You are a helpful assistant.',
    ]);
    expect((responseBodies().at(-1)!.input as unknown[])[0]).toMatchObject({
      role: 'developer',
      content: [{ text: 'Be terse.' }],
    });
  });

  it('uses the configured default instructions', async () => {
    const { codex, responseBodies } = await setup({
      emulator: { validation: { instructions: true } },
      provider: { defaultInstructions: 'You are a release-notes writer.' },
    });
    await codex('gpt-5.5').doGenerate({ prompt });
    expect(responseBodies().at(-1)?.instructions).toBe('You are a release-notes writer.');
  });
});

describe('401 recovery', () => {
  it('asks auth.handleUnauthorized for new credentials and retries once', async () => {
    const { emulator } = await setup();
    const stale = await emulator.login();
    const fresh = await emulator.login();
    emulator.expireAccessToken(stale.accessToken);
    const rejected: unknown[] = [];
    const auth: CodexAuth = {
      getCredentials: async () => ({ accessToken: stale.accessToken, accountId: stale.accountId }),
      handleUnauthorized: async credentials => {
        rejected.push(credentials);
        return { accessToken: fresh.accessToken, accountId: fresh.accountId };
      },
    };
    emulator.enqueue(textTurn('Welcome back.'));

    const result = await createCodex({ baseURL: emulator.baseURL, auth })('gpt-5.5').doGenerate({ prompt });

    expect(result.content).toMatchObject([{ type: 'text', text: 'Welcome back.' }]);
    expect(rejected).toEqual([{ accessToken: stale.accessToken, accountId: stale.accountId }]);
    expect(emulator.requestsTo('responses').map(request => request.headers.authorization)).toEqual([
      `Bearer ${stale.accessToken}`,
      `Bearer ${fresh.accessToken}`,
    ]);
  });

  it('gives up with a non-retryable 401 when there is nothing better', async () => {
    const { emulator, login } = await setup();
    emulator.expireAccessToken(login.accessToken);
    const auth: CodexAuth = {
      getCredentials: async () => ({ accessToken: login.accessToken, accountId: login.accountId }),
      handleUnauthorized: async () => undefined,
    };
    await expect(
      createCodex({ baseURL: emulator.baseURL, auth })('gpt-5.5').doGenerate({ prompt }),
    ).rejects.toSatisfy(
      error => APICallError.isInstance(error) && error.statusCode === 401 && !error.isRetryable,
    );
    expect(emulator.requestsTo('responses')).toHaveLength(1);
  });
});
