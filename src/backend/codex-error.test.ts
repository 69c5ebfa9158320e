import { APICallError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import {
  codexFailedResponseHandler,
  createEarlyStreamError,
  getUnsupportedParameter,
  isInstructionsRequired,
} from './codex-error';
import { CodexUsageLimitError } from './codex-usage-limit-error';

async function failed(status: number, body: string, headers: Record<string, string> = {}) {
  const { value } = await codexFailedResponseHandler({
    response: new Response(body, { status, statusText: 'Status Text', headers }),
    url: 'https://backend.example/responses',
    requestBodyValues: { model: 'gpt-5.5' },
  });
  return value;
}

describe('codexFailedResponseHandler', () => {
  it('surfaces the backend detail message verbatim', async () => {
    const error = await failed(400, '{"detail":"Unsupported parameter: max_output_tokens"}');
    expect(error.message).toBe('Unsupported parameter: max_output_tokens');
    expect(error).toMatchObject({ statusCode: 400, isRetryable: false });
    expect(getUnsupportedParameter(error)).toBe('max_output_tokens');
    expect(isInstructionsRequired(error)).toBe(false);
  });

  it('stringifies a structured detail', async () => {
    const error = await failed(422, '{"detail":[{"loc":["body","input"],"msg":"field required"}]}');
    expect(error.message).toBe('[{"loc":["body","input"],"msg":"field required"}]');
  });

  it('uses the message of the OpenAI error envelope', async () => {
    const error = await failed(
      400,
      '{"error":{"message":"The encrypted content gAAA could not be verified.","type":"invalid_request_error","code":"invalid_encrypted_content"}}',
    );
    expect(error.message).toBe('The encrypted content gAAA could not be verified.');
  });

  it.each([
    [500, true],
    [502, true],
    [503, true],
    [408, true],
    [409, true],
    [429, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
  ])('marks status %i retryable: %s', async (status, retryable) => {
    expect((await failed(status, '{"detail":"x"}')).isRetryable).toBe(retryable);
  });

  it('turns usage_limit_reached into a non-retryable CodexUsageLimitError', async () => {
    const error = await failed(
      429,
      '{"error":{"type":"usage_limit_reached","message":"limit reached","resets_at":1704067242,"plan_type":"pro"}}',
      { 'x-codex-primary-used-percent': '100', 'x-codex-primary-window-minutes': '300' },
    );
    expect(CodexUsageLimitError.isInstance(error)).toBe(true);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'AI_CodexUsageLimitError',
      statusCode: 429,
      isRetryable: false,
      planType: 'pro',
      resetsAt: new Date(1704067242000),
      rateLimits: { primary: { usedPercent: 100, windowMinutes: 300 } },
    });
    expect(error.message).toBe(
      "You've hit your ChatGPT usage limit for Codex (pro plan). Try again after 2024-01-01T00:00:42.000Z.",
    );
  });

  it('marks usage_not_included as not retryable', async () => {
    const error = await failed(
      429,
      '{"error":{"type":"usage_not_included","message":"Upgrade to use Codex."}}',
    );
    expect(error).toMatchObject({ message: 'Upgrade to use Codex.', isRetryable: false });
    expect(CodexUsageLimitError.isInstance(error)).toBe(false);
  });

  it('explains Cloudflare blocks and falls back to the status text', async () => {
    expect((await failed(403, '<html>Cloudflare Attention Required</html>')).message).toMatch(
      /Access blocked by Cloudflare/,
    );
    expect((await failed(502, '<html>Bad gateway</html>')).message).toBe('Status Text');
  });

  it('recognizes the instructions-required answer', async () => {
    expect(isInstructionsRequired(await failed(400, '{"detail":"Instructions are required"}'))).toBe(true);
  });
});

describe('createEarlyStreamError', () => {
  const context = { url: 'u', requestBodyValues: {}, responseHeaders: {} };

  it('classifies error frames like HTTP errors', () => {
    const overloaded = createEarlyStreamError({
      streamError: { code: 'server_is_overloaded', message: 'busy' },
      frame: {},
      ...context,
    });
    expect(overloaded).toMatchObject({ message: 'busy', statusCode: 503, isRetryable: true });
    const tooLong = createEarlyStreamError({
      streamError: { code: 'context_length_exceeded', message: 'too long' },
      frame: {},
      ...context,
    });
    expect(tooLong).toMatchObject({ statusCode: 400, isRetryable: false });
  });

  it('turns a usage limit in the stream into a CodexUsageLimitError', () => {
    const error = createEarlyStreamError({
      streamError: { code: 'usage_limit_reached', message: 'limit', plan_type: 'plus', resets_at: 1 },
      frame: {},
      ...context,
    });
    expect(error).toBeInstanceOf(CodexUsageLimitError);
    expect(error).toMatchObject({ planType: 'plus', resetsAt: new Date(1000) });
  });
});
