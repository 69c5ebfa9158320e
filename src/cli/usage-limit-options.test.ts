import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error';
import { parseDuration, parseUsageLimitOptions } from './usage-limit-options';

describe('parseUsageLimitOptions', () => {
  it('leaves the default (fail at once) without flags', () => {
    expect(parseUsageLimitOptions({})).toBeUndefined();
    expect(parseUsageLimitOptions({ onUsageLimit: 'fail' })).toBeUndefined();
  });

  it('waits, bounded by --max-usage-wait, with fallback models in order', () => {
    expect(
      parseUsageLimitOptions({
        onUsageLimit: 'wait',
        maxUsageWait: '1h30m',
        fallbackModel: ['gpt-5.4-mini', 'gpt-5.2'],
      }),
    ).toEqual({ wait: true, maxWaitMs: 5_400_000, fallbackModels: ['gpt-5.4-mini', 'gpt-5.2'] });
    expect(parseUsageLimitOptions({ fallbackModel: 'gpt-5.4-mini' })).toEqual({
      fallbackModels: ['gpt-5.4-mini'],
    });
  });

  it('refuses an unknown action, and a maximum wait without waiting, as usage errors', () => {
    expect(() => parseUsageLimitOptions({ onUsageLimit: 'retry' })).toThrow(
      new CliError('--on-usage-limit must be `fail` or `wait`, not "retry".', 2),
    );
    expect(() => parseUsageLimitOptions({ maxUsageWait: '30m' })).toThrow(/needs --on-usage-limit wait/);
  });
});

describe('parseDuration', () => {
  it('reads units and their combinations', () => {
    expect(parseDuration('90s', '--x')).toBe(90_000);
    expect(parseDuration('30m', '--x')).toBe(1_800_000);
    expect(parseDuration('2h', '--x')).toBe(7_200_000);
    expect(parseDuration('1d', '--x')).toBe(86_400_000);
    expect(parseDuration('250ms', '--x')).toBe(250);
  });

  it('refuses what is not a duration, naming the flag', () => {
    for (const text of ['', '30', 'm', '30 minutes', '5m junk']) {
      expect(() => parseDuration(text, '--max-usage-wait')).toThrow(/--max-usage-wait must be a duration/);
    }
  });
});
