import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatePkce, generateState } from './pkce';

describe('generatePkce', () => {
  it('derives the S256 challenge from a 64-byte base64url verifier', async () => {
    const { codeVerifier, codeChallenge } = await generatePkce();
    expect(codeVerifier).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(codeChallenge).toBe(createHash('sha256').update(codeVerifier).digest('base64url'));
  });

  it('never repeats a verifier or a state', async () => {
    const [a, b] = await Promise.all([generatePkce(), generatePkce()]);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    expect(generateState()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateState()).not.toBe(generateState());
  });
});
