import type { Command } from 'cac';
import type { CodexUsageLimitSettings } from '../backend/usage-limit-settings';
import { CliError, EXIT_CODES } from './cli-error';

export interface UsageLimitOptions {
  onUsageLimit?: string;
  maxUsageWait?: string;
  fallbackModel?: string | string[];
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Adds `--on-usage-limit`, `--max-usage-wait` and `--fallback-model` to a command. */
export function addUsageLimitOptions(command: Command): Command {
  return command
    .option(
      '--on-usage-limit <action>',
      'When the usage limit is reached: `fail` at once with the reset time (default), or `wait` for the reset',
    )
    .option(
      '--max-usage-wait <duration>',
      'Longest wait with `--on-usage-limit wait`, e.g. 30m, 2h (default: 6h)',
    )
    .option(
      '--fallback-model <model>',
      'Model to answer with while the requested one is limited (repeat for more, tried in order)',
    );
}

/** The provider's `onUsageLimit` from the flags; `undefined` for the default (fail at once). */
export function parseUsageLimitOptions(options: UsageLimitOptions): CodexUsageLimitSettings | undefined {
  const action = options.onUsageLimit ?? 'fail';
  if (action !== 'fail' && action !== 'wait') {
    throw new CliError(`--on-usage-limit must be \`fail\` or \`wait\`, not "${action}".`, EXIT_CODES.usage);
  }
  if (options.maxUsageWait != null && action !== 'wait') {
    throw new CliError('--max-usage-wait needs --on-usage-limit wait.', EXIT_CODES.usage);
  }
  const fallbackModels = [options.fallbackModel ?? []].flat().map(String);
  if (action === 'fail' && fallbackModels.length === 0) return undefined;
  return {
    ...(action === 'wait' && { wait: true }),
    ...(options.maxUsageWait != null && {
      maxWaitMs: parseDuration(options.maxUsageWait, '--max-usage-wait'),
    }),
    ...(fallbackModels.length > 0 && { fallbackModels }),
  };
}

/** `90s`, `30m`, `2h`, `1h30m`, `1d` → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const value = String(text).trim();
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (value === '' || parts.map(part => part[0]).join('') !== value) {
    throw new CliError(
      `${flag} must be a duration such as 90s, 30m, 2h or 1h30m, not "${value}".`,
      EXIT_CODES.usage,
    );
  }
  return parts.reduce(
    (total, [, amount, unit]) => total + Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS],
    0,
  );
}
