import { isAbortError } from '@ai-sdk/provider-utils';
import { generateText } from 'ai';
import { describe, expect, it } from 'vitest';
import { CodexUsageLimitError } from '../src/backend/codex-usage-limit-error';
import type { CodexUsageLimitWait } from '../src/backend/usage-limit-settings';
import type { CodexEmulator } from '../src/testing';
import { useCodexProviderPerTest } from './support/codex-provider-setup';

const setup = useCodexProviderPerTest();

/** Waits the provider announced, with when each started. */
function recordWaits() {
  const waits: Array<CodexUsageLimitWait & { startedAt: number }> = [];
  return { waits, onWait: (wait: CodexUsageLimitWait) => waits.push({ ...wait, startedAt: Date.now() }) };
}

/** `/responses` requests the emulator received while a wait was under way. */
function requestsDuringWaits(emulator: CodexEmulator, waits: Array<{ startedAt: number; resetsAt: Date }>) {
  return emulator
    .requestsTo('responses')
    .filter(request =>
      waits.some(
        wait =>
          request.receivedAt.getTime() > wait.startedAt &&
          request.receivedAt.getTime() < wait.resetsAt.getTime(),
      ),
    );
}

describe('onUsageLimit.wait', () => {
  it('a 20-call generateText run crosses the limit, waits for each reset and completes every call', async () => {
    const { waits, onWait } = recordWaits();
    const { codex, emulator } = await setup({
      emulator: { usageWindow: { requests: 6, resetAfterSeconds: 2 } },
      provider: { onUsageLimit: { wait: true, maxWaitMs: 10_000, onWait } },
    });

    const results = [];
    for (let call = 0; call < 20; call += 1) {
      const result = await generateText({ model: codex('gpt-5.5'), prompt: `Call ${call}` });
      results.push(result);
    }

    expect(results.every(result => result.text.length > 0)).toBe(true);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    // Each wait began with one refused request; nothing else reached the backend while the limit held.
    expect(emulator.counters.usageLimitRejections).toBe(waits.length);
    expect(emulator.requestsTo('responses')).toHaveLength(20 + waits.length);
    expect(requestsDuringWaits(emulator, waits)).toEqual([]);
    // A call that waited says so.
    const waited = results.filter(result => result.providerMetadata?.codex?.usageLimit != null);
    expect(waited).toHaveLength(waits.length);
    expect(waited[0]?.warnings).toEqual([
      expect.objectContaining({
        type: 'other',
        message: expect.stringMatching(/waited \d+ s for usage limits/),
      }),
    ]);
  });

  it('requests arriving during a wait wait too, without reaching the backend', async () => {
    const { waits, onWait } = recordWaits();
    const { codex, emulator } = await setup({
      emulator: { usageWindow: { requests: 3, resetAfterSeconds: 2 } },
      provider: { onUsageLimit: { wait: true, maxWaitMs: 10_000, onWait } },
    });
    for (let call = 0; call < 3; call += 1) await generateText({ model: codex('gpt-5.5'), prompt: 'Hi' });

    const first = generateText({ model: codex('gpt-5.5'), prompt: 'First past the limit' });
    await expect.poll(() => waits.length).toBe(1);
    const later = [1, 2].map(n => generateText({ model: codex('gpt-5.5'), prompt: `Later ${n}` }));
    const results = await Promise.all([first, ...later]);

    expect(results.map(result => result.text.length > 0)).toEqual([true, true, true]);
    expect(emulator.counters.usageLimitRejections).toBe(1);
    expect(waits).toHaveLength(3);
    expect(requestsDuringWaits(emulator, waits)).toEqual([]);
    expect(emulator.requestsTo('responses')).toHaveLength(3 + 1 + 3);
  });

  it('fails with CodexUsageLimitError at once when the reset is later than maxWaitMs', async () => {
    const { waits, onWait } = recordWaits();
    const { codex, emulator } = await setup({
      emulator: { usageWindow: { requests: 1, resetAfterSeconds: 600 } },
      provider: { onUsageLimit: { wait: true, maxWaitMs: 1_000, onWait } },
    });
    await generateText({ model: codex('gpt-5.5'), prompt: 'Hi' });

    const started = Date.now();
    const error = await generateText({ model: codex('gpt-5.5'), prompt: 'Over' }).catch(caught => caught);
    expect(CodexUsageLimitError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/later than the maximum wait \(onUsageLimit\.maxWaitMs = 1000 ms\)/);
    expect(error.resetsAt.getTime()).toBeGreaterThan(Date.now() + 500_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(waits).toEqual([]);

    // The next call knows the limit: it fails the same way without a request.
    const again = await generateText({ model: codex('gpt-5.5'), prompt: 'Again' }).catch(caught => caught);
    expect(CodexUsageLimitError.isInstance(again)).toBe(true);
    expect(again.requestBodyValues).toBeUndefined();
    expect(emulator.counters.usageLimitRejections).toBe(1);
    expect(emulator.requestsTo('responses')).toHaveLength(2);
  });

  it('aborting a waiting call ends its wait at once', async () => {
    const { waits, onWait } = recordWaits();
    const { codex, emulator } = await setup({
      emulator: { usageWindow: { requests: 1, resetAfterSeconds: 60 } },
      provider: { onUsageLimit: { wait: true, maxWaitMs: 120_000, onWait } },
    });
    await generateText({ model: codex('gpt-5.5'), prompt: 'Hi' });

    const controller = new AbortController();
    const call = generateText({
      model: codex('gpt-5.5'),
      prompt: 'Wait',
      abortSignal: controller.signal,
    }).catch(caught => caught);
    await expect.poll(() => waits.length).toBe(1);
    const abortedAt = Date.now();
    controller.abort();
    const error = await call;

    expect(isAbortError(error)).toBe(true);
    expect(Date.now() - abortedAt).toBeLessThan(500);
    expect(emulator.requestsTo('responses')).toHaveLength(2);
  });

  it('without onUsageLimit, fails at once with the reset time (the default)', async () => {
    const { codex, emulator } = await setup({
      emulator: { usageWindow: { requests: 1, resetAfterSeconds: 2 } },
    });
    await generateText({ model: codex('gpt-5.5'), prompt: 'Hi' });
    const error = await generateText({ model: codex('gpt-5.5'), prompt: 'Over' }).catch(caught => caught);
    expect(CodexUsageLimitError.isInstance(error)).toBe(true);
    expect(error.resetsAt).toBeInstanceOf(Date);
    expect(emulator.requestsTo('responses')).toHaveLength(2);
  });
});

describe('onUsageLimit.fallbackModels', () => {
  it('answers with the fallback model while the primary is limited, with a warning and metadata', async () => {
    const { codex, emulator, login, responseBodies } = await setup({
      emulator: { usageWindow: { requests: 2, resetAfterSeconds: 600, models: ['gpt-5.5'] } },
      provider: { onUsageLimit: { fallbackModels: ['gpt-6-luna'] } },
    });

    const results = [];
    for (let call = 0; call < 4; call += 1) {
      results.push(await generateText({ model: codex('gpt-5.5'), prompt: `Call ${call}` }));
    }

    // The third call found the limit; the fourth goes straight to the fallback.
    expect(responseBodies().map(body => body.model)).toEqual([
      'gpt-5.5',
      'gpt-5.5',
      'gpt-5.5',
      'gpt-6-luna',
      'gpt-6-luna',
    ]);
    expect(results.map(result => result.warnings)).toEqual([
      [],
      [],
      [expect.objectContaining({ message: expect.stringMatching(/fallback model gpt-6-luna answered/) })],
      [expect.objectContaining({ message: expect.stringMatching(/fallback model gpt-6-luna answered/) })],
    ]);
    expect(results[3]?.providerMetadata?.codex?.usageLimit).toEqual({
      requestedModelId: 'gpt-5.5',
      modelId: 'gpt-6-luna',
      waitedMs: 0,
      requestedModelResetsAt: expect.any(String),
    });

    // The provider keeps what it learned, readable without a request.
    const requests = emulator.requests.length;
    expect(codex.usageLimits()).toEqual([
      {
        accountId: login.accountId,
        rateLimits: expect.objectContaining({ primary: expect.objectContaining({ usedPercent: 100 }) }),
        updatedAt: expect.any(String),
        exhausted: [{ limit: 'codex', resetsAt: expect.any(String), models: ['gpt-5.5'] }],
      },
    ]);
    expect(emulator.requests).toHaveLength(requests);
  });
});

describe('onUsageLimit.paceAbovePercent', () => {
  it('spreads the rest of a nearly used window until its reset instead of a burst', async () => {
    const { codex, emulator } = await setup({
      emulator: { usageWindow: { requests: 10, resetAfterSeconds: 4 } },
      provider: { onUsageLimit: { paceAbovePercent: 50 } },
    });

    for (let call = 0; call < 10; call += 1) {
      await generateText({ model: codex('gpt-5.5'), prompt: `Call ${call}` });
    }

    const sent = emulator.requestsTo('responses').map(request => request.receivedAt.getTime());
    expect(sent).toHaveLength(10);
    expect(emulator.counters.usageLimitRejections).toBe(0);
    // The first half went at once; the second half, past 50 %, was spread over what was left of the window.
    expect(sent[9]! - sent[5]!).toBeGreaterThan(800);
  });
});
