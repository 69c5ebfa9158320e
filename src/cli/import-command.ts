import type { CAC } from 'cac';
import { CodexAuthError } from '../auth/codex-auth-error';
import { parseCodexTokenClaims } from '../auth/jwt-claims';
import type { ImportableTool } from '../auth/login/imports/imported-login';
import { readToolLogin } from '../auth/login/imports/read-tool-login';
import { refreshCodexTokens, resolveCodexTokenURL } from '../auth/oauth';
import { CliError, EXIT_CODES } from './cli-error';
import { resolveIssuer } from './cli-settings';
import {
  type DestinationOptions,
  FILE_OPTION,
  resolveDestination,
  STORE_OPTION,
} from './credential-destination';
import { describeLoginOwner } from './describe-login';
import { interruptSignal } from './interrupt';
import { recordLogin } from './login-ledger';
import { refuseToReplaceLogin } from './refuse-to-replace-login';
import { print, printInfo, printWarning } from './terminal';

const TOOLS: ImportableTool[] = ['opencode', 'pi', 'openclaw', 'chatmock'];

const TOOL_NAMES: Record<ImportableTool, string> = {
  opencode: 'opencode',
  pi: 'pi',
  openclaw: 'OpenClaw',
  chatmock: 'ChatMock',
};

interface ImportOptions extends DestinationOptions {
  force?: boolean;
  issuer?: string;
}

export function registerImportCommand(cli: CAC): void {
  cli
    .command('import <tool> [path]', `Move the ChatGPT login of another tool here (${TOOLS.join(', ')})`)
    .option(...STORE_OPTION)
    .option(...FILE_OPTION)
    .option('--force', 'Replace a login the destination already holds (keeping a backup of it)')
    .option(
      '--issuer <url>',
      'OAuth issuer (default: $CODEX_AUTH_ISSUER; the token endpoint honours $CODEX_REFRESH_TOKEN_URL_OVERRIDE)',
    )
    .usage(
      `import <tool> [path]

Reads <tool>'s login from [path] (default: where the tool keeps it), renews it once and saves it.
Refresh tokens are single-use: after the import, <tool>'s own copy is spent and it will ask you to sign
in again. To keep using both, sign in separately in each tool instead of importing.

Default paths:
  opencode   \${XDG_DATA_HOME:-~/.local/share}/opencode/auth.json   (entry "openai")
  pi         \${PI_CODING_AGENT_DIR:-~/.pi/agent}/auth.json          (entry "openai-codex")
  openclaw   \${OPENCLAW_STATE_DIR:-~/.openclaw}/agents/main/agent/auth-profiles.json
  chatmock   \${CHATGPT_LOCAL_HOME:-~/.chatgpt-local}/auth.json`,
    )
    .example(bin => `  $ ${bin} import opencode`)
    .example(bin => `  $ ${bin} import pi ~/.pi/agent/auth.json --store keychain`)
    .action(runImport);
}

async function runImport(tool: string, path: string | undefined, options: ImportOptions): Promise<void> {
  if (!TOOLS.includes(tool as ImportableTool)) {
    throw new CliError(`Cannot import from "${tool}". Choose one of: ${TOOLS.join(', ')}.`, EXIT_CODES.usage);
  }
  const abortSignal = interruptSignal();
  const store = resolveDestination(options);
  const imported = await readToolLogin(tool as ImportableTool, { path });
  const name = TOOL_NAMES[imported.tool];

  const backup = await refuseToReplaceLogin(store, {
    force: options.force,
    alternative: 'choose another destination with --store or --file',
    abortSignal,
  });

  // Redeem the refresh token once: this copy becomes the one that rotates, and a dead login is caught now.
  const tokens = await refreshCodexTokens({
    refreshToken: imported.login.refreshToken,
    tokenURL: resolveCodexTokenURL({ issuer: resolveIssuer(options.issuer) }),
    abortSignal,
  }).catch(error => {
    if (CodexAuthError.isInstance(error) && error.reason === 'login-required') {
      throw new CliError(
        `The login in ${imported.source} can no longer be renewed (${error.oauthErrorCode ?? 'rejected'}); ` +
          `${name} has probably refreshed it since it was written, or it was revoked. Nothing was changed. ` +
          'Sign in there again and import once more, or sign in here with `ai-sdk-provider-codex login`.',
        EXIT_CODES.notLoggedIn,
      );
    }
    throw error;
  });
  const login = {
    accessToken: tokens.accessToken ?? imported.login.accessToken,
    refreshToken: tokens.refreshToken ?? imported.login.refreshToken,
    idToken: tokens.idToken ?? imported.login.idToken,
    accountId: imported.login.accountId,
  };
  const renewedAccount = parseCodexTokenClaims(login.accessToken)?.accountId;
  if (renewedAccount != null && renewedAccount !== login.accountId) {
    throw new CliError(
      `The renewed tokens belong to ChatGPT account ${renewedAccount}, not ${login.accountId} as ${imported.source} says. ` +
        'Nothing was saved. Sign in with `ai-sdk-provider-codex login` instead.',
    );
  }

  await store.save(login, { abortSignal });
  await recordLogin(store.description, login.accountId, `import:${imported.tool}`);
  if (login.idToken == null) {
    printWarning(
      'the token endpoint returned no id token, so the Codex CLI will not be able to read this login.',
    );
  }
  print(`Imported ${describeLoginOwner(login)} from ${imported.source}.`);
  print(`Saved to ${store.description}.`);
  if (backup != null) print(`The login it replaced was kept in ${backup}.`);
  printInfo(
    `Note: refresh tokens are single-use, and this import renewed the login, so ${name}’s copy is now spent: ` +
      `${name} will ask you to sign in again the next time it refreshes. To use both tools, sign in separately in ${name}.`,
  );
}
