import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { textTurn } from '../src/testing';
import { authHeaders, postResponses, responsesBody, useEmulatorWithLogin } from './support/emulator-requests';
import { parseSseJson } from './support/sse';

const ctx = useEmulatorWithLogin();

describe('POST /responses', () => {
  it('answers with a default stream when nothing is scripted', async () => {
    const response = await postResponses(
      ctx.emulator,
      ctx.login,
      responsesBody({ reasoning: { effort: 'low', summary: 'auto' }, prompt_cache_key: 'conv-1' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSseJson(await response.text());
    const types = events.map(e => e.type);
    expect(types[0]).toBe('response.created');
    expect(types[1]).toBe('response.in_progress');
    expect(types.at(-1)).toBe('response.completed');
    expect(types).toContain('response.reasoning_summary_text.delta');
    expect(types).toContain('response.output_text.delta');
    expect(events.map(e => e.sequence_number)).toEqual(events.map((_, i) => i));

    const reasoningDone = events.find(
      e => e.type === 'response.output_item.done' && (e.item as { type: string }).type === 'reasoning',
    );
    expect((reasoningDone?.item as { encrypted_content?: string } | undefined)?.encrypted_content).toMatch(
      /^gAAAA/,
    );
    const text = events
      .filter(e => e.type === 'response.output_text.delta')
      .map(e => e.delta)
      .join('');
    expect(text).toContain('Say hello');
    const completed = events.at(-1)!.response as { usage: Record<string, unknown>; model: string };
    expect(completed.model).toBe('gpt-5.5');
    expect(completed.usage).toMatchObject({
      input_tokens: expect.any(Number),
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: expect.any(Number) },
    });
  });

  it('reports cached tokens on the next request with the same prompt_cache_key', async () => {
    const body = responsesBody({ prompt_cache_key: 'conv-2' });
    await (await postResponses(ctx.emulator, ctx.login, body)).text();
    const events = parseSseJson(await (await postResponses(ctx.emulator, ctx.login, body)).text());
    const usage = (
      events.at(-1)!.response as { usage: { input_tokens: number; input_tokens_details: object } }
    ).usage;
    expect(usage.input_tokens_details).toEqual({ cached_tokens: usage.input_tokens });
  });

  it('plays scripted turns in order and records the decoded requests', async () => {
    ctx.emulator.enqueue(textTurn('first'), textTurn('second'));
    const texts: string[] = [];
    for (const question of ['one', 'two']) {
      const body = responsesBody({
        input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: question }] }],
      });
      const events = parseSseJson(await (await postResponses(ctx.emulator, ctx.login, body)).text());
      const done = events.find(e => e.type === 'response.output_text.done');
      texts.push(String(done?.text));
    }
    expect(texts).toEqual(['first', 'second']);
    expect(ctx.emulator.pendingResponses).toBe(0);
    const recorded = ctx.emulator.requestsTo('responses');
    expect(recorded).toHaveLength(2);
    expect(recorded[1]?.body).toMatchObject({ input: [{ content: [{ text: 'two' }] }] });
    expect(recorded[0]?.headers.authorization).toBe(`Bearer ${ctx.login.accessToken}`);
    expect(ctx.emulator.counters.requests.responses).toBe(2);
  });
});

describe('GET /models', () => {
  it('serves the catalog with reasoning levels and an ETag', async () => {
    const response = await fetch(`${ctx.emulator.baseURL}/models?client_version=0.171.0`, {
      headers: authHeaders(ctx.login),
    });
    expect(response.status).toBe(200);
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    const { models } = (await response.json()) as {
      models: Array<{ slug: string; supported_reasoning_levels: Array<{ effort: string }> }>;
    };
    expect(models).toHaveLength(14);
    expect(models.map(m => m.slug)).toEqual(
      expect.arrayContaining(['gpt-6.2-sol', 'gpt-5.5', 'codex-auto-review']),
    );
    expect(models.find(m => m.slug === 'gpt-5.5')?.supported_reasoning_levels.map(l => l.effort)).toEqual([
      'low',
      'medium',
      'high',
      'xhigh',
    ]);
    const again = await fetch(`${ctx.emulator.baseURL}/models?client_version=0.171.0`, {
      headers: { ...authHeaders(ctx.login), 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
  });

  it('hides models that need a newer client', async () => {
    const response = await fetch(`${ctx.emulator.baseURL}/models?client_version=0.90.0`, {
      headers: authHeaders(ctx.login),
    });
    expect(((await response.json()) as { models: unknown[] }).models).toEqual([]);
  });
});

describe('login() and authJson()', () => {
  it('issues JWTs with the real claim layout', async () => {
    const pro = await ctx.emulator.login({ planType: 'pro', email: 'dev@example.com', accountId: 'acct-1' });
    const idClaims = decodeJwt(pro.idToken);
    expect(idClaims.email).toBe('dev@example.com');
    expect(idClaims['https://api.openai.com/auth']).toMatchObject({
      chatgpt_account_id: 'acct-1',
      chatgpt_plan_type: 'pro',
    });
    const accessClaims = decodeJwt(pro.accessToken);
    expect(accessClaims['https://api.openai.com/auth']).toMatchObject({ chatgpt_account_id: 'acct-1' });
    expect(accessClaims.exp! * 1000).toBe(pro.accessTokenExpiresAt.getTime());
    expect(accessClaims.iss).toBe(ctx.emulator.issuer);
  });

  it('builds the Codex CLI auth.json', () => {
    const auth = ctx.emulator.authJson(ctx.login, { lastRefresh: new Date('2026-01-02T03:04:05.000Z') });
    expect(auth).toEqual({
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: {
        id_token: ctx.login.idToken,
        access_token: ctx.login.accessToken,
        refresh_token: ctx.login.refreshToken,
        account_id: ctx.login.accountId,
      },
      last_refresh: '2026-01-02T03:04:05.000Z',
    });
  });
});
