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
