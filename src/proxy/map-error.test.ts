import { APICallError, NoSuchModelError } from '@ai-sdk/provider';
import { createProviderStreamError } from '@ai-sdk/provider-utils';
import { describe, expect, it } from 'vitest';
import { CodexAuthError } from '../auth/codex-auth-error';
import { CodexUsageLimitError } from '../backend/codex-usage-limit-error';
import { toProxyError } from './map-error';
import { ProxyError } from './proxy-error';

const now = () => Date.parse('2026-01-01T00:00:00Z');

describe('toProxyError', () => {
  it('gives a usage limit 429 with retry-after, rate-limit headers and the fields the Codex CLI reads', () => {
    const error = toProxyError(
      new CodexUsageLimitError({
        message: "You've hit your ChatGPT usage limit.",
        url: 'u',
        requestBodyValues: {},
        responseHeaders: { 'x-codex-primary-used-percent': '100', 'content-length': '10' },
        resetsAt: new Date(now() + 90_500),
        planType: 'pro',
      }),
      now,
    );
    expect(error).toMatchObject({ status: 429, type: 'usage_limit_reached', code: 'usage_limit_reached' });
    expect(error.headers).toEqual({ 'retry-after': '91', 'x-codex-primary-used-percent': '100' });
    expect(error.toBody().error).toMatchObject({
      resets_at: Math.floor((now() + 90_500) / 1000),
      plan_type: 'pro',
    });
  });

  it('keeps the status and code of backend errors, from HTTP bodies and failed stream frames', () => {
    const http = toProxyError(
      new APICallError({
        message: 'Unsupported parameter: foo',
        url: 'u',
        requestBodyValues: {},
        statusCode: 400,
        data: { error: { code: 'unsupported_parameter' } },
      }),
    );
    expect(http).toMatchObject({ status: 400, type: 'invalid_request_error', code: 'unsupported_parameter' });

    const frame = toProxyError(
      new APICallError({
        message: 'slow down',
        url: 'u',
        requestBodyValues: {},
        statusCode: 503,
        data: { type: 'response.failed', response: { error: { code: 'server_is_overloaded' } } },
      }),
    );
    expect(frame).toMatchObject({ status: 503, type: 'server_error', code: 'server_is_overloaded' });
  });

  it('tells a backend it could not reach in general terms, its address kept for the server log', () => {
    const error = toProxyError(
      new APICallError({
        message: 'Cannot connect to API: connect ECONNREFUSED 10.1.2.3:8443',
        url: 'https://codex.internal:8443/responses',
        requestBodyValues: {},
        cause: new Error('connect ECONNREFUSED 10.1.2.3:8443'),
        isRetryable: true,
      }),
    );
    expect(error).toMatchObject({ status: 502, type: 'server_error', code: 'backend_unreachable' });
    expect(JSON.stringify(error.toBody())).not.toMatch(/10\.1\.2\.3|codex\.internal/);
    expect(error.serverDetail).toContain('10.1.2.3:8443');
  });

  it('maps login problems, stream errors, unknown models and anything else', () => {
    const login = toProxyError(
      new CodexAuthError({
        reason: 'login-required',
        source: 'Codex CLI auth.json (/home/me/.codex/auth.json)',
        message: 'log in again',
      }),
    );
    expect(login).toMatchObject({
      status: 401,
      type: 'authentication_error',
      code: 'codex_auth_login_required',
    });
    expect(login.message).toMatch(/must sign in again/);
    expect(login.message).not.toContain('/home/me');
    expect(login.serverDetail).toContain('/home/me/.codex/auth.json');
    expect(
      toProxyError(
        createProviderStreamError({
          message: 'boom',
          statusCode: 429,
          code: 'rate_limit_exceeded',
          data: {},
        }),
      ),
    ).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'boom' });
    expect(toProxyError(new NoSuchModelError({ modelId: 'x', modelType: 'languageModel' }))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    const own = new ProxyError({ message: 'bad', param: 'n' });
    expect(toProxyError(own)).toBe(own);
    const unknown = toProxyError(new TypeError('secret internals'));
    expect(unknown).toMatchObject({ status: 500, type: 'server_error' });
    expect(unknown.message).not.toContain('secret internals');
  });
});
