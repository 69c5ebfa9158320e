import { gzipSync, zstdCompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CodexEmulator,
  type CodexEmulatorOptions,
  type EmulatorLogin,
  startCodexEmulator,
  type ValidationRules,
} from '../src/testing';
import { authHeaders, postResponses, responsesBody } from './support/emulator-requests';

let emulator: CodexEmulator;
let login: EmulatorLogin;
async function start(options?: CodexEmulatorOptions) {
  emulator = await startCodexEmulator(options);
  login = await emulator.login();
}
afterEach(async () => {
  await emulator?.close();
});

const lite = { 'x-openai-internal-codex-responses-lite': 'true' };
const weatherTool = { type: 'function', name: 'weather', parameters: { type: 'object' }, strict: false };
const additionalTools = {
  type: 'additional_tools',
  role: 'developer',
  tools: [{ type: 'namespace', name: 'functions', description: '', tools: [weatherTool] }],
};
const sayHello = { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Say hello' }] };

const cases: Array<{
  rule: keyof ValidationRules;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  detail: string;
}> = [
  { rule: 'store', body: { store: true }, detail: 'Store must be set to false' },
  { rule: 'store', body: { store: undefined }, detail: 'Store must be set to false' },
  { rule: 'stream', body: { stream: false }, detail: 'Stream must be set to true' },
  { rule: 'inputList', body: { input: 'hello' }, detail: 'Input must be a list' },
  {
    rule: 'systemMessages',
    body: {
      input: [
        { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'be brief' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      ],
    },
    detail: 'System messages are not allowed',
  },
  {
    rule: 'unsupportedParameters',
    body: { max_output_tokens: 100 },
    detail: 'Unsupported parameter: max_output_tokens',
  },
  { rule: 'unsupportedParameters', body: { temperature: 0.2 }, detail: 'Unsupported parameter: temperature' },
  { rule: 'unsupportedParameters', body: { top_p: 0.9 }, detail: 'Unsupported parameter: top_p' },
  { rule: 'unsupportedParameters', body: { seed: 7 }, detail: 'Unsupported parameter: seed' },
  { rule: 'unsupportedParameters', body: { stop: ['END'] }, detail: 'Unsupported parameter: stop' },
  { rule: 'unsupportedParameters', body: { service_tier: 'flex' }, detail: 'Unsupported service_tier: flex' },
  {
    rule: 'knownModel',
    body: { model: 'gpt-4o' },
    detail: "The 'gpt-4o' model is not supported when using Codex with a ChatGPT account.",
  },
  {
    rule: 'liteHeaderOnClassicModel',
    body: { model: 'gpt-5.5', tools: undefined },
    headers: lite,
    detail: "Responses Lite is not supported for the 'gpt-5.5' model.",
  },
  {
    rule: 'liteTopLevelTools',
    body: { model: 'gpt-6.2-sol', tools: [{ type: 'web_search' }] },
    headers: lite,
    detail:
      'Top-level tools are not supported with Responses Lite; send them in an additional_tools input item.',
  },
  {
    rule: 'additionalToolsWithoutLite',
    body: { model: 'gpt-5.5', tools: undefined, input: [additionalTools, sayHello] },
    detail: "Invalid input item type 'additional_tools': it requires Responses Lite.",
  },
  {
    rule: 'classicToolsOnLiteModel',
    body: { model: 'gpt-6.2-sol', tools: [weatherTool] },
    detail:
      "The 'gpt-6.2-sol' model requires Responses Lite for tools; send the x-openai-internal-codex-responses-lite header and the tools in an additional_tools input item.",
  },
];

describe('validation rules of POST /responses', () => {
  for (const { rule, body, headers = {}, detail } of cases) {
    it(`${rule} on: ${JSON.stringify(body)} → 400 "${detail}"`, async () => {
      await start();
      const response = await postResponses(emulator, login, responsesBody(body), { headers });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ detail });
      expect(emulator.counters.badRequests).toBe(1);
    });

    it(`${rule} off: ${JSON.stringify(body)} → streamed`, async () => {
      await start({ validation: { [rule]: false } });
      const response = await postResponses(emulator, login, responsesBody(body), { headers });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('response.completed');
    });
  }

  it('accepts the Lite shape on a Lite model and the classic shape on gpt-5.5', async () => {
    await start();
    const liteRequest = responsesBody({
      model: 'gpt-6.2-sol',
      instructions: undefined,
      tools: undefined,
      input: [additionalTools, sayHello],
      parallel_tool_calls: false,
      reasoning: { effort: 'low', context: 'all_turns' },
    });
    const accepted = await postResponses(emulator, login, liteRequest, { headers: lite });
    expect(accepted.status).toBe(200);
    await accepted.text();
    const classic = await postResponses(emulator, login, responsesBody({ tools: [weatherTool] }));
    expect(classic.status).toBe(200);
    await classic.text();
    // A Lite model without tools needs no Lite header.
    const plain = await postResponses(emulator, login, responsesBody({ model: 'gpt-6.2-sol' }));
    expect(plain.status).toBe(200);
    await plain.text();
  });

  it('accepts a request without instructions unless the instructions rule is switched on', async () => {
    await start();
    const withoutInstructions = responsesBody({ instructions: undefined });
    const accepted = await postResponses(emulator, login, withoutInstructions);
    expect(accepted.status).toBe(200);
    await accepted.text();

    emulator.setValidation({ instructions: true });
    const rejected = await postResponses(emulator, login, withoutInstructions);
    expect(rejected.status).toBe(400);
    expect(await rejected.json()).toEqual({ detail: 'Instructions are required' });
    const empty = await postResponses(emulator, login, responsesBody({ instructions: '' }));
    expect(empty.status).toBe(400);
    await empty.text();
    const given = await postResponses(emulator, login, responsesBody());
    expect(given.status).toBe(200);
    await given.text();
  });

  it("refuses models the login's plan does not include", async () => {
    await start();
    const free = await emulator.login({ planType: 'free' });
    const response = await postResponses(emulator, free, responsesBody({ model: 'gpt-6.2-sol' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      detail: "The 'gpt-6.2-sol' model is not supported when using Codex with a ChatGPT account.",
    });
    const allowed = await postResponses(emulator, free, responsesBody({ model: 'gpt-6-luna' }));
    expect(allowed.status).toBe(200);
    await allowed.text();
  });

  it('refuses a strict schema with oneOf in OpenAI’s error envelope, unless strictSchemas is off', async () => {
    await start();
    const branch = (name: string) => ({
      type: 'object',
      properties: { [name]: { type: 'string' } },
      required: [name],
      additionalProperties: false,
    });
    const body = responsesBody({
      text: {
        format: {
          type: 'json_schema',
          name: 'answer',
          strict: true,
          schema: {
            type: 'object',
            properties: { value: { oneOf: [branch('a'), branch('b')] } },
            required: ['value'],
            additionalProperties: false,
          },
        },
      },
    });
    const rejected = await postResponses(emulator, login, body);
    expect(rejected.status).toBe(400);
    expect(await rejected.json()).toEqual({
      error: {
        message:
          "Invalid schema for response_format 'answer': In context=('properties', 'value'), 'oneOf' is not permitted.",
        type: 'invalid_request_error',
        param: 'text.format.schema',
        code: 'invalid_json_schema',
      },
    });

    emulator.setValidation({ strictSchemas: false });
    const accepted = await postResponses(emulator, login, body);
    expect(accepted.status).toBe(200);
    await accepted.text();
  });

  it('switches every rule off with validation: false', async () => {
    await start({ validation: false });
    const response = await postResponses(
      emulator,
      login,
      responsesBody({ model: 'nope', store: true, stream: false, input: 'x', temperature: 1 }),
    );
    expect(response.status).toBe(200);
    await response.text();
  });
});

describe('request bodies', () => {
  it('decodes zstd bodies as the Codex CLI sends them and records them decoded', async () => {
    await start();
    const json = JSON.stringify(responsesBody({ prompt_cache_key: 'zstd-session' }));
    const response = await postResponses(emulator, login, zstdCompressSync(json), {
      headers: { 'content-encoding': 'zstd' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('response.completed');
    const [recorded] = emulator.requestsTo('responses');
    expect(recorded?.contentEncoding).toBe('zstd');
    expect(recorded?.bodyText).toBe(json);
    expect(recorded?.body).toMatchObject({ prompt_cache_key: 'zstd-session' });
  });

  it('decodes gzip bodies too', async () => {
    await start();
    const response = await postResponses(emulator, login, gzipSync(JSON.stringify(responsesBody())), {
      headers: { 'content-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    await response.text();
  });

  const badBodies: Array<{
    name: string;
    body: string | Uint8Array;
    headers: Record<string, string>;
    detail: RegExp;
  }> = [
    { name: 'malformed JSON', body: '{"model": "gpt-5.5",', headers: {}, detail: /not valid JSON/ },
    { name: 'a JSON body that is not an object', body: '[1,2,3]', headers: {}, detail: /JSON object/ },
    { name: 'an empty body', body: '', headers: {}, detail: /required/ },
    { name: 'text/plain', body: 'hello', headers: { 'content-type': 'text/plain' }, detail: /content type/ },
    {
      name: 'a form body',
      body: 'model=gpt-5.5',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      detail: /content type/,
    },
    {
      name: 'garbage zstd',
      body: new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4, 5, 6, 7, 8]),
      headers: { 'content-encoding': 'zstd' },
      detail: /zstd/,
    },
    {
      name: 'truncated zstd',
      body: zstdCompressSync(JSON.stringify(responsesBody())).subarray(0, 12),
      headers: { 'content-encoding': 'zstd' },
      detail: /zstd/,
    },
    {
      name: 'zstd that hides malformed JSON',
      body: zstdCompressSync('{"model":'),
      headers: { 'content-encoding': 'zstd' },
      detail: /not valid JSON/,
    },
    {
      name: 'an unknown encoding',
      body: 'abc',
      headers: { 'content-encoding': 'snappy' },
      detail: /encoding/,
    },
  ];

  for (const { name, body, headers, detail } of badBodies) {
    it(`answers ${name} with the backend's 400 and keeps serving`, async () => {
      await start();
      const response = await postResponses(emulator, login, body, { headers });
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { detail: string };
      expect(answer.detail).toMatch(detail);
      expect(response.headers.get('x-codex-primary-used-percent')).not.toBeNull();

      const next = await postResponses(emulator, login, responsesBody());
      expect(next.status).toBe(200);
      expect(await next.text()).toContain('response.completed');
    });
  }
});

describe('rate limits', () => {
  it('sends x-codex-* headers on every backend response', async () => {
    await start({ rateLimits: { primary: { usedPercent: 42, windowMinutes: 300, resetAt: 1_900_000_000 } } });
    const answers = [
      await postResponses(emulator, login, responsesBody()),
      await postResponses(emulator, login, responsesBody({ store: true })),
      await postResponses(emulator, { ...login, accessToken: 'unknown' }, responsesBody()),
      await fetch(`${emulator.baseURL}/models?client_version=0.171.0`, { headers: authHeaders(login) }),
      await fetch(`${emulator.chatgptBaseURL}wham/usage`, { headers: authHeaders(login) }),
    ];
    expect(answers.map(a => a.status)).toEqual([200, 400, 401, 200, 200]);
    for (const answer of answers) {
      expect(answer.headers.get('x-codex-primary-used-percent')).toBe('42');
      expect(answer.headers.get('x-codex-primary-window-minutes')).toBe('300');
      expect(answer.headers.get('x-codex-primary-reset-at')).toBe('1900000000');
      expect(answer.headers.get('x-codex-secondary-window-minutes')).toBe('10080');
      expect(answer.headers.get('x-codex-credits-has-credits')).toBe('False');
      await answer.arrayBuffer();
    }
  });

  it('answers 429 usage_limit_reached when a window is used up', async () => {
    await start({ account: { planType: 'pro' } });
    const pro = await emulator.login();
    emulator.setRateLimits({ secondary: { usedPercent: 100, resetAt: 1_900_000_123 } });
    const response = await postResponses(emulator, pro, responsesBody());
    expect(response.status).toBe(429);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      type: 'usage_limit_reached',
      plan_type: 'pro',
      resets_at: 1_900_000_123,
    });
    expect(response.headers.get('x-codex-secondary-used-percent')).toBe('100');
    expect(response.headers.get('x-codex-active-limit')).toBe('codex');
    expect(emulator.counters.usageLimitRejections).toBe(1);

    emulator.setRateLimits({ secondary: { usedPercent: 10 } });
    const after = await postResponses(emulator, pro, responsesBody());
    expect(after.status).toBe(200);
    await after.text();
  });

  it('reports usage on GET /wham/usage', async () => {
    await start();
    emulator.setRateLimits({
      primary: { usedPercent: 30, windowMinutes: 300, resetAt: 1_900_000_000 },
      credits: { hasCredits: true, balance: '12.5' },
    });
    const response = await fetch(`${emulator.chatgptBaseURL}wham/usage`, { headers: authHeaders(login) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      plan_type: 'plus',
      rate_limit: {
        allowed: true,
        limit_reached: false,
        primary_window: { used_percent: 30, limit_window_seconds: 18_000, reset_at: 1_900_000_000 },
        secondary_window: { limit_window_seconds: 604_800 },
      },
      credits: { has_credits: true, unlimited: false, balance: '12.5' },
    });
  });
});
