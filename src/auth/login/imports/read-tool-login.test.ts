import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnsecuredJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodexAuthError } from '../../codex-auth-error';
import { defaultImportPath, readToolLogin } from './read-tool-login';

function accessToken(accountId: string | undefined): string {
  return new UnsecuredJWT({
    email: 'me@example.com',
    'https://api.openai.com/auth':
      accountId != null ? { chatgpt_account_id: accountId, chatgpt_plan_type: 'plus' } : {},
  })
    .setExpirationTime('1h')
    .encode();
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'import-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fixture(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function failure(promise: Promise<unknown>): Promise<CodexAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!CodexAuthError.isInstance(error)) throw new Error(`expected a CodexAuthError, got ${String(error)}`);
  return error;
}

const entry = (accountId = 'acc-1') => ({
  type: 'oauth',
  access: accessToken(accountId),
  refresh: 'rt-secret-1',
  expires: 1795874400000,
  accountId,
});

describe('readToolLogin', () => {
  it('reads opencode’s "openai" entry next to other providers', async () => {
    const path = await fixture('auth.json', { openai: entry(), anthropic: { type: 'api', key: 'sk-ant' } });
    const imported = await readToolLogin('opencode', { path });
    expect(imported.login).toMatchObject({ refreshToken: 'rt-secret-1', accountId: 'acc-1' });
    expect(imported.source).toBe(`opencode auth.json (${path})`);
  });

  it('reads pi’s "openai-codex" entry', async () => {
    const path = await fixture('auth.json', { 'openai-codex': entry('acc-pi') });
    expect((await readToolLogin('pi', { path })).login.accountId).toBe('acc-pi');
  });

  it('reads OpenClaw’s lastGood profile, under the legacy or the current provider id', async () => {
    const legacy = await fixture('legacy.json', {
      version: 1,
      profiles: {
        'openai-codex:work': { ...entry('acc-work'), provider: 'openai-codex' },
        'openai-codex:default': {
          ...entry('acc-default'),
          provider: 'openai-codex',
          email: 'me@example.com',
        },
      },
      order: { 'openai-codex': ['openai-codex:work', 'openai-codex:default'] },
      lastGood: { 'openai-codex': 'openai-codex:default' },
      usageStats: {},
    });
    expect((await readToolLogin('openclaw', { path: legacy })).login.accountId).toBe('acc-default');

    const current = await fixture('current.json', {
      version: 1,
      profiles: {
        'openai:me': { ...entry('acc-new'), provider: 'openai' },
        'x:api': { type: 'api_key', key: 'k' },
      },
    });
    expect((await readToolLogin('openclaw', { path: current })).login.accountId).toBe('acc-new');
  });

  it('reads ChatMock’s Codex-shaped file, keeping its id token', async () => {
    const path = await fixture('auth.json', {
      OPENAI_API_KEY: null,
      tokens: {
        id_token: accessToken('acc-cm'),
        access_token: accessToken('acc-cm'),
        refresh_token: 'rt',
        account_id: 'acc-cm',
      },
      last_refresh: '2026-11-28T12:00:00Z',
    });
    const { login } = await readToolLogin('chatmock', { path });
    expect(login.idToken).toBeDefined();
    expect(login.accountId).toBe('acc-cm');
  });

  it('takes the account id from the token claim when the tool stored none', async () => {
    const { accountId: _, ...withoutAccount } = entry('acc-claim');
    const path = await fixture('auth.json', { openai: withoutAccount });
    expect((await readToolLogin('opencode', { path })).login.accountId).toBe('acc-claim');
  });

  it('refuses an entry whose stored account contradicts its token', async () => {
    const path = await fixture('auth.json', { openai: { ...entry('acc-real'), accountId: 'acc-other' } });
    const error = await failure(readToolLogin('opencode', { path }));
    expect(error.reason).toBe('malformed');
    expect(error.message).toMatch(/acc-other.*acc-real/);
  });

  it('refuses tokens that name no account at all', async () => {
    const { accountId: _, ...noAccount } = entry();
    const path = await fixture('auth.json', {
      'openai-codex': { ...noAccount, access: accessToken(undefined) },
    });
    expect((await failure(readToolLogin('pi', { path }))).reason).toBe('missing-account-id');
  });

  it('names the file and the fix for a missing file, a missing entry, an API key and bad JSON, never its content', async () => {
    const missing = await failure(readToolLogin('opencode', { path: join(dir, 'nope.json') }));
    expect(missing.reason).toBe('missing');
    expect(missing.message).toMatch(/nope\.json.*does not exist.*opencode auth login/);

    const noEntry = await failure(
      readToolLogin('pi', { path: await fixture('a.json', { anthropic: { type: 'api_key', key: 'k' } }) }),
    );
    expect(noEntry.message).toMatch(/no "openai-codex" entry/);

    const apiKey = await failure(
      readToolLogin('opencode', {
        path: await fixture('b.json', { openai: { type: 'api', key: 'sk-secret' } }),
      }),
    );
    expect(apiKey.message).toMatch(/type "api", not a ChatGPT/);
    expect(apiKey.message).not.toContain('sk-secret');

    const truncated = await failure(
      readToolLogin('chatmock', { path: await fixture('c.json', '{"tokens": {"access_token": "rt-secret') }),
    );
    expect(truncated.reason).toBe('malformed');
    expect(truncated.message).toMatch(/not valid JSON/);
    expect(truncated.message).not.toContain('rt-secret');

    const noRefresh = await failure(
      readToolLogin('opencode', {
        path: await fixture('d.json', { openai: { ...entry(), refresh: undefined } }),
      }),
    );
    expect(noRefresh.message).toMatch(/no refresh token/);
  });

  it('finds each tool’s file where the tool keeps it', () => {
    const env = {
      XDG_DATA_HOME: '/x',
      PI_CODING_AGENT_DIR: '/p',
      OPENCLAW_STATE_DIR: '/o',
      CHATGPT_LOCAL_HOME: '/c',
    };
    expect(defaultImportPath('opencode', env)).toBe('/x/opencode/auth.json');
    expect(defaultImportPath('pi', env)).toBe('/p/auth.json');
    expect(defaultImportPath('openclaw', env)).toBe('/o/agents/main/agent/auth-profiles.json');
    expect(defaultImportPath('chatmock', env)).toBe('/c/auth.json');
  });
});
