import { describe, expect, it } from 'vitest';
import { createRedactor, redactHeaders } from './redact';

describe('createRedactor', () => {
  it('removes the given secrets, bearer tokens, JWTs and key-shaped strings', () => {
    const redact = createRedactor(['my-proxy-key', undefined]);
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLWJ5dGVz';
    const text = `key=my-proxy-key auth="Bearer abc.def" token=${jwt} openai=sk-proj-abcdefghijkl refresh=rt-0123456789abc chatgpt=rt_Xy9-abc_DEF123456`;
    const result = redact(text);
    for (const secret of [
      'my-proxy-key',
      'abc.def',
      jwt,
      'sk-proj-abcdefghijkl',
      'rt-0123456789abc',
      'rt_Xy9-abc_DEF123456',
    ]) {
      expect(result).not.toContain(secret);
    }
    expect(result).toContain('key=[redacted]');
  });

  it('leaves ordinary text alone', () => {
    expect(createRedactor([])('POST /v1/chat/completions 200 in 12 ms')).toBe(
      'POST /v1/chat/completions 200 in 12 ms',
    );
  });
});

describe('redactHeaders', () => {
  it('replaces credential headers and keeps the others', () => {
    const headers = new Headers({
      Authorization: 'Bearer x',
      'x-api-key': 'k',
      cookie: 'c=1',
      'ChatGPT-Account-ID': 'acc',
      'content-type': 'application/json',
    });
    expect(redactHeaders(headers)).toEqual({
      authorization: '[redacted]',
      'x-api-key': '[redacted]',
      cookie: '[redacted]',
      'chatgpt-account-id': '[redacted]',
      'content-type': 'application/json',
    });
  });
});
