import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl } from './authorize-url';

describe('buildAuthorizeUrl', () => {
  const base = {
    issuer: 'https://auth.openai.com/',
    clientId: 'app_EMoamEEZ73f0CkXaXp7hrann',
    redirectUri: 'http://localhost:1455/auth/callback',
    codeChallenge: 'challenge-abc',
    state: 'state-xyz',
    originator: 'codex_cli_rs',
  };

  it('carries the Codex CLI parameters in its order, spaces encoded as %20', () => {
    expect(buildAuthorizeUrl(base)).toBe(
      'https://auth.openai.com/oauth/authorize?response_type=code&client_id=app_EMoamEEZ73f0CkXaXp7hrann' +
        '&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback' +
        '&scope=openid%20profile%20email%20offline_access%20api.connectors.read%20api.connectors.invoke' +
        '&code_challenge=challenge-abc&code_challenge_method=S256&id_token_add_organizations=true' +
        '&codex_cli_simplified_flow=true&state=state-xyz&originator=codex_cli_rs',
    );
  });

  it('appends allowed_workspace_id last when workspaces are pinned', () => {
    const url = new URL(buildAuthorizeUrl({ ...base, allowedWorkspaceIds: ['ws-1', 'ws-2'] }));
    expect([...url.searchParams.keys()].at(-1)).toBe('allowed_workspace_id');
    expect(url.searchParams.get('allowed_workspace_id')).toBe('ws-1,ws-2');
  });
});
