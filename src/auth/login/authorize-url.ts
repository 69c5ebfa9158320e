/** The scopes the Codex CLI asks for (codex-rs/login/src/server.rs `build_authorize_url`). */
export const CODEX_LOGIN_SCOPES =
  'openid profile email offline_access api.connectors.read api.connectors.invoke';

/**
 * Builds the authorize URL with the parameters and order the Codex CLI uses, so the OAuth server
 * sees the same request (it allow-lists the redirect URIs `http://localhost:1455|1457/auth/callback`).
 */
export function buildAuthorizeUrl({
  issuer,
  clientId,
  redirectUri,
  codeChallenge,
  state,
  originator,
  allowedWorkspaceIds,
}: {
  issuer: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state: string;
  originator: string;
  allowedWorkspaceIds?: string[];
}): string {
  const query: Array<[string, string]> = [
    ['response_type', 'code'],
    ['client_id', clientId],
    ['redirect_uri', redirectUri],
    ['scope', CODEX_LOGIN_SCOPES],
    ['code_challenge', codeChallenge],
    ['code_challenge_method', 'S256'],
    ['id_token_add_organizations', 'true'],
    ['codex_cli_simplified_flow', 'true'],
    ['state', state],
    ['originator', originator],
  ];
  if (allowedWorkspaceIds != null && allowedWorkspaceIds.length > 0) {
    query.push(['allowed_workspace_id', allowedWorkspaceIds.join(',')]);
  }
  // encodeURIComponent, not URLSearchParams: the CLI percent-encodes spaces as %20, not '+'.
  const qs = query.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  return `${issuer.replace(/\/+$/, '')}/oauth/authorize?${qs}`;
}
