import type { CodexLogin } from '../auth/codex-credential-source';
import { parseCodexTokenClaims } from '../auth/jwt-claims';

/** "user@example.com (ChatGPT plus, account 1234)": who a login belongs to, without any token. */
export function describeLoginOwner(login: CodexLogin): string {
  const idClaims = parseCodexTokenClaims(login.idToken);
  const accessClaims = parseCodexTokenClaims(login.accessToken);
  const email = idClaims?.email ?? accessClaims?.email;
  const plan = idClaims?.planType ?? accessClaims?.planType;
  const account = login.accountId ?? accessClaims?.accountId;
  const details = [
    plan != null ? `ChatGPT ${plan}` : undefined,
    account != null ? `account ${account}` : undefined,
  ]
    .filter(part => part != null)
    .join(', ');
  return `${email ?? 'ChatGPT user'}${details ? ` (${details})` : ''}`;
}
