import { afterEach, beforeEach } from 'vitest';
import {
  type CodexEmulator,
  type EmulatorLogin,
  type RecordedRequest,
  startCodexEmulator,
} from '../../src/testing';

/**
 * Per test: a fresh emulator (default options) with one login, closed after the test. Read the fields inside
 * tests; they are replaced before each one.
 */
export function useEmulatorWithLogin() {
  const context = {} as { emulator: CodexEmulator; login: EmulatorLogin };
  beforeEach(async () => {
    context.emulator = await startCodexEmulator();
    context.login = await context.emulator.login();
  });
  afterEach(async () => {
    await context.emulator.close();
  });
  return context;
}

/** A minimal valid `/responses` body, as a faithful client sends it. */
export function responsesBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'gpt-5.5',
    instructions: 'You are a helpful assistant.',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Say hello' }] }],
    tools: [],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    reasoning: { effort: 'medium' },
    store: false,
    stream: true,
    include: ['reasoning.encrypted_content'],
    ...overrides,
  };
}

/** Headers a ChatGPT-authenticated client sends. */
export function authHeaders(login: EmulatorLogin): Record<string, string> {
  return { authorization: `Bearer ${login.accessToken}`, 'chatgpt-account-id': login.accountId };
}

/** POSTs a JSON body to the emulator's `/responses`. */
export function postResponses(
  emulator: CodexEmulator,
  login: EmulatorLogin,
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${emulator.baseURL}/responses`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...authHeaders(login),
      ...init.headers,
    },
    body:
      typeof body === 'string'
        ? body
        : body instanceof Uint8Array
          ? new Uint8Array(body)
          : JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

/** POSTs a JSON refresh grant exactly as the Codex CLI 0.171 does. */
export function postRefresh(emulator: CodexEmulator, refreshToken: string): Promise<Response> {
  return fetch(emulator.tokenURL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
      grant_type: 'refresh_token',
      refresh_reason: 'proactive_expiry',
      refresh_token: refreshToken,
    }),
  });
}

/** A recorded `/responses` request's Lite flag: a header over HTTP, in `client_metadata` over the WebSocket. */
export function liteFlagOf(request: RecordedRequest | undefined): string | undefined {
  if (request?.transport !== 'websocket') return request?.headers['x-openai-internal-codex-responses-lite'];
  const body = request.body as { client_metadata?: Record<string, string> } | undefined;
  return body?.client_metadata?.ws_request_header_x_openai_internal_codex_responses_lite;
}
