import type { CAC } from 'cac';
import { CodexAuthError } from '../auth/codex-auth-error';
import type { CodexLogin } from '../auth/codex-credential-source';
import { revokeRefreshToken } from '../auth/login/revoke-token';
import { CODEX_OAUTH_CLIENT_ID } from '../auth/oauth';
import { CliError, EXIT_CODES } from './cli-error';
import { resolveIssuer, resolveRevokeURL } from './cli-settings';
import {
  type DestinationOptions,
  FILE_OPTION,
  resolveDestination,
  STORE_OPTION,
} from './credential-destination';
import { describeLoginOwner } from './describe-login';
import { interruptSignal } from './interrupt';
import { forgetLogin, wroteLogin } from './login-ledger';
import { print, printWarning } from './terminal';

interface LogoutOptions extends DestinationOptions {
  force?: boolean;
  issuer?: string;
  revoke?: boolean;
}

export function registerLogoutCommand(cli: CAC): void {
  cli
    .command('logout', 'Revoke and remove a login this tool saved (other tools’ logins are left alone)')
    .option(...STORE_OPTION)
    .option(...FILE_OPTION)
    .option('--force', 'Also remove a login that this tool did not save (e.g. one from `codex login`)')
    .option('--no-revoke', 'Remove the login locally without revoking its refresh token')
    .option(
      '--issuer <url>',
      'OAuth issuer to revoke at (default: $CODEX_AUTH_ISSUER or https://auth.openai.com)',
    )
    .example(bin => `  $ ${bin} logout`)
    .example(bin => `  $ ${bin} logout --store keychain`)
    .action(runLogout);
}

async function runLogout(options: LogoutOptions): Promise<void> {
  const abortSignal = interruptSignal();
  const store = resolveDestination(options);

  let login: CodexLogin | undefined;
  let unreadable = false;
  try {
    login = await store.read({ abortSignal });
  } catch (error) {
    // An unreadable login cannot be revoked or attributed; removing it needs --force.
    if (!(CodexAuthError.isInstance(error) && error.reason === 'malformed' && options.force)) throw error;
    unreadable = true;
  }
  if (login == null && !unreadable) {
    print(`Not logged in: ${store.description} holds no login. Nothing was changed.`);
    return;
  }

  const owner = login != null ? describeLoginOwner(login) : 'an unreadable login';
  if (!options.force && !(await wroteLogin(store.description, login?.accountId))) {
    throw new CliError(
      `${store.description} holds a login for ${owner} that ai-sdk-provider-codex did not save ` +
        '(it may be the Codex CLI’s own login from `codex login`). Nothing was changed. ' +
        'Log out with the tool that created it (`codex logout`), or pass --force to revoke and remove it here.',
      EXIT_CODES.usage,
    );
  }

  if (login?.refreshToken != null && options.revoke !== false) {
    const outcome = await revokeRefreshToken({
      revokeUrl: resolveRevokeURL(resolveIssuer(options.issuer)),
      clientId: CODEX_OAUTH_CLIENT_ID,
      refreshToken: login.refreshToken,
    });
    if (!outcome.revoked) {
      printWarning(
        `the refresh token could not be revoked (${outcome.reason}); removing the local login anyway.`,
      );
    }
  }
  await store.remove({ abortSignal });
  await forgetLogin(store.description);
  print(`Logged out ${owner}: removed the login from ${store.description}.`);
}
