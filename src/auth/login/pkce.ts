import { base64url } from 'jose';

/** The PKCE pair of one authorization request (RFC 7636, `S256`). */
export interface PkceCodes {
  codeVerifier: string;
  codeChallenge: string;
}

/**
 * Generates a PKCE pair as the Codex CLI does: the verifier is 64 random bytes, the challenge the
 * SHA-256 of the verifier, both base64url without padding.
 */
export async function generatePkce(): Promise<PkceCodes> {
  const codeVerifier = base64url.encode(crypto.getRandomValues(new Uint8Array(64)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return { codeVerifier, codeChallenge: base64url.encode(new Uint8Array(digest)) };
}

/** A random `state` value (32 bytes, base64url) that ties the callback to this login attempt. */
export function generateState(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
}
