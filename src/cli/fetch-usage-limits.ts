import {
  createJsonResponseHandler,
  createStatusCodeErrorResponseHandler,
  type FetchFunction,
  getFromApi,
} from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';
import type { CodexCredentials } from '../auth/codex-auth';

const windowSchema = z.looseObject({
  used_percent: z.number(),
  limit_window_seconds: z.number().nullish(),
  reset_after_seconds: z.number().nullish(),
  reset_at: z.number().nullish(),
});

const rateLimitSchema = z.looseObject({
  allowed: z.boolean().nullish(),
  limit_reached: z.boolean().nullish(),
  primary_window: windowSchema.nullish(),
  secondary_window: windowSchema.nullish(),
});

/** `GET {chatgpt_base_url}/wham/usage` (codex-rs `RateLimitStatusPayload`); unknown fields pass through. */
const usageSchema = z.looseObject({
  plan_type: z.string().nullish(),
  rate_limit: rateLimitSchema.nullish(),
  credits: z
    .looseObject({
      has_credits: z.boolean().nullish(),
      unlimited: z.boolean().nullish(),
      balance: z.union([z.string(), z.number()]).nullish(),
    })
    .nullish(),
  additional_rate_limits: z
    .array(
      z.looseObject({
        limit_name: z.string().nullish(),
        metered_feature: z.string().nullish(),
        rate_limit: rateLimitSchema.nullish(),
      }),
    )
    .nullish(),
  rate_limit_reached_type: z.looseObject({ type: z.string().nullish() }).nullish(),
});

export type UsageLimits = z.infer<typeof usageSchema>;

/** The current usage limits of the signed-in account, as the Codex CLI's `/status` reads them. */
export async function fetchUsageLimits({
  chatgptBaseURL,
  credentials,
  fetch,
  abortSignal,
}: {
  chatgptBaseURL: string;
  credentials: CodexCredentials;
  fetch?: FetchFunction;
  abortSignal?: AbortSignal;
}): Promise<UsageLimits> {
  const { value } = await getFromApi({
    url: `${chatgptBaseURL}/wham/usage`,
    headers: {
      authorization: `Bearer ${credentials.accessToken}`,
      'chatgpt-account-id': credentials.accountId,
    },
    successfulResponseHandler: createJsonResponseHandler(usageSchema),
    failedResponseHandler: createStatusCodeErrorResponseHandler(),
    fetch,
    abortSignal,
  });
  return value;
}
