import { SignJWT } from 'jose';
import { expect, it } from 'vitest';
import { parseCodexTokenClaims } from './jwt-claims';

const sign = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('k'.repeat(32)));

it('reads expiry, account, plan, user and email from the OpenAI claims', async () => {
  const token = await sign({
    exp: 1_900_000_000,
    'https://api.openai.com/auth': { chatgpt_account_id: 'acct', chatgpt_plan_type: 'pro', user_id: 'u1' },
    'https://api.openai.com/profile': { email: 'me@example.com' },
  });
  expect(parseCodexTokenClaims(token)).toEqual({
    expiresAt: 1_900_000_000_000,
    accountId: 'acct',
    planType: 'pro',
    userId: 'u1',
    email: 'me@example.com',
  });
});

it('returns undefined for something that is not a JWT', () => {
  expect(parseCodexTokenClaims('opaque-token')).toBeUndefined();
  expect(parseCodexTokenClaims(undefined)).toBeUndefined();
});
