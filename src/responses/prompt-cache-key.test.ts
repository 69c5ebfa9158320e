import { afterEach, describe, expect, it, vi } from 'vitest';
import { derivePromptCacheKey } from './prompt-cache-key';

const first = {
  type: 'message' as const,
  role: 'user' as const,
  content: [{ type: 'input_text' as const, text: 'Hi' }],
};

describe('derivePromptCacheKey', () => {
  it('is a UUID that stays the same as the conversation grows', async () => {
    const key = await derivePromptCacheKey({ instructions: 'Be brief.', input: [first] });
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const later = await derivePromptCacheKey({
      instructions: 'Be brief.',
      input: [first, { type: 'function_call', call_id: 'c', name: 't', arguments: '{}' }],
    });
    expect(later).toBe(key);
  });

  it('differs between conversations', async () => {
    const key = await derivePromptCacheKey({ instructions: 'Be brief.', input: [first] });
    expect(await derivePromptCacheKey({ instructions: 'Be long.', input: [first] })).not.toBe(key);
    expect(
      await derivePromptCacheKey({
        instructions: 'Be brief.',
        input: [{ ...first, content: [{ type: 'input_text', text: 'Hello' }] }],
      }),
    ).not.toBe(key);
  });
});

describe('derivePromptCacheKey on Node.js', () => {
  it('answers synchronously with the SHA-256 digest WebCrypto gives', async () => {
    const key = derivePromptCacheKey({ instructions: 'Be brief.', input: [first] });
    expect(typeof key).toBe('string');
    const text = JSON.stringify(['Be brief.', first]);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
    const hex = Array.from(digest.subarray(0, 16), byte => byte.toString(16).padStart(2, '0')).join('');
    const digits = (key as string).replaceAll('-', '').split('');
    const expected = hex.split('');
    // Every digit is the digest's but the version's (13th) and the variant's (17th).
    for (const index of [12, 16]) digits[index] = expected[index] = '_';
    expect(digits.join('')).toBe(expected.join(''));
  });
});

describe('derivePromptCacheKey on an edge runtime', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('gives the same key, through WebCrypto', async () => {
    const nodeKey = derivePromptCacheKey({ instructions: 'Be brief.', input: [first] });
    vi.stubGlobal('EdgeRuntime', 'edge-runtime');
    vi.resetModules();
    const { derivePromptCacheKey: deriveOnEdge } = await import('./prompt-cache-key');
    const edgeKey = deriveOnEdge({ instructions: 'Be brief.', input: [first] });
    expect(edgeKey).toBeInstanceOf(Promise);
    expect(await edgeKey).toBe(nodeKey);
  });
});
