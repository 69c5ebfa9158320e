import { z } from 'zod/v4';

const windowSchema = z
  .looseObject({
    used_percent: z.number().nullish(),
    window_minutes: z.number().nullish(),
    reset_at: z.number().nullish(),
  })
  .nullish();

const rateLimitsMessageSchema = z.looseObject({
  plan_type: z.string().nullish(),
  rate_limits: z.looseObject({ primary: windowSchema, secondary: windowSchema }).nullish(),
  credits: z
    .looseObject({
      has_credits: z.boolean().nullish(),
      unlimited: z.boolean().nullish(),
      balance: z.string().nullish(),
    })
    .nullish(),
});

/**
 * The `x-codex-*` headers an SSE answer would have carried, from the `codex.rate_limits` message that
 * opens a WebSocket answer: one parser (`parseRateLimits`) then serves both transports.
 */
export function rateLimitHeadersOf(message: unknown): Record<string, string> {
  const parsed = rateLimitsMessageSchema.safeParse(message);
  if (!parsed.success) return {};
  const { plan_type, rate_limits, credits } = parsed.data;
  const headers: Record<string, string> = {};
  const set = (name: string, value: string | number | boolean | null | undefined) => {
    if (value != null) headers[name] = String(value);
  };
  for (const name of ['primary', 'secondary'] as const) {
    const window = rate_limits?.[name];
    set(`x-codex-${name}-used-percent`, window?.used_percent);
    set(`x-codex-${name}-window-minutes`, window?.window_minutes);
    set(`x-codex-${name}-reset-at`, window?.reset_at);
  }
  set('x-codex-plan-type', plan_type);
  set('x-codex-credits-has-credits', credits?.has_credits);
  set('x-codex-credits-unlimited', credits?.unlimited);
  set('x-codex-credits-balance', credits?.balance);
  return headers;
}

/**
 * The `codex.rate_limits` message of the `x-codex-*` headers an answer carried (SSE's, or those
 * {@link rateLimitHeadersOf} made of the message): what a WebSocket client of the proxy reads them from.
 * Undefined when the answer reported no rate limits.
 */
export function rateLimitsMessageOf(headers: Record<string, string>): Record<string, unknown> | undefined {
  const number = (name: string) => {
    const value = headers[name] != null ? Number(headers[name]) : Number.NaN;
    return Number.isFinite(value) ? value : null;
  };
  const boolean = (name: string) => (headers[name] != null ? headers[name] === 'true' : null);
  const window = (name: 'primary' | 'secondary') => {
    const usedPercent = number(`x-codex-${name}-used-percent`);
    if (usedPercent == null) return null;
    return {
      used_percent: usedPercent,
      window_minutes: number(`x-codex-${name}-window-minutes`),
      reset_at: number(`x-codex-${name}-reset-at`),
    };
  };
  const primary = window('primary');
  const secondary = window('secondary');
  if (primary == null && secondary == null) return undefined;
  return {
    type: 'codex.rate_limits',
    plan_type: headers['x-codex-plan-type'] ?? null,
    rate_limits: { primary, secondary },
    credits:
      headers['x-codex-credits-has-credits'] != null
        ? {
            has_credits: boolean('x-codex-credits-has-credits'),
            unlimited: boolean('x-codex-credits-unlimited'),
            balance: headers['x-codex-credits-balance'] ?? null,
          }
        : null,
  };
}
