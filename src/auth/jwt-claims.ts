import { decodeJwt } from 'jose';
import { z } from 'zod/v4';

const AUTH_CLAIM = 'https://api.openai.com/auth';
const PROFILE_CLAIM = 'https://api.openai.com/profile';

const claimsSchema = z.looseObject({
  exp: z.number().optional(),
  email: z.string().optional(),
  [AUTH_CLAIM]: z
    .looseObject({
      chatgpt_account_id: z.string().optional(),
      chatgpt_plan_type: z.string().optional(),
      chatgpt_user_id: z.string().optional(),
      user_id: z.string().optional(),
    })
    .optional(),
  [PROFILE_CLAIM]: z.looseObject({ email: z.string().optional() }).optional(),
});

/** What the package reads from a ChatGPT access or id token (payload only; the backend checks signatures). */
export interface CodexTokenClaims {
  /** Expiry as epoch milliseconds. */
  expiresAt?: number;
  accountId?: string;
  planType?: string;
  userId?: string;
  email?: string;
}

/** Reads the claims of a ChatGPT JWT, or `undefined` when `token` is not a JWT. */
export function parseCodexTokenClaims(token: string | undefined): CodexTokenClaims | undefined {
  if (token == null) return undefined;
  let payload: unknown;
  try {
    payload = decodeJwt(token);
  } catch {
    return undefined;
  }
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const claims = parsed.data;
  const auth = claims[AUTH_CLAIM];
  return {
    expiresAt: claims.exp != null ? claims.exp * 1000 : undefined,
    accountId: auth?.chatgpt_account_id,
    planType: auth?.chatgpt_plan_type,
    userId: auth?.chatgpt_user_id ?? auth?.user_id,
    email: claims.email ?? claims[PROFILE_CLAIM]?.email,
  };
}
