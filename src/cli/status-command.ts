import type { CAC } from 'cac';
import { CodexAuthError } from '../auth/codex-auth-error';
import { type CodexLoginInfo, type CodexTokenManager, createCodexTokenManager } from '../auth/token-manager';
import { resolveChatgptBaseURL, resolveIssuer } from './cli-settings';
import {
  type DestinationOptions,
  FILE_OPTION,
  resolveCredentialSource,
  STORE_OPTION,
} from './credential-destination';
import { fetchUsageLimits, type UsageLimits } from './fetch-usage-limits';
import { formatDuration, formatUsageLimits } from './format-usage';
import { interruptSignal } from './interrupt';
import { describeLoosePermissions } from './loose-permissions';
import { print, printWarning, style } from './terminal';
import { parseWatchInterval, watch } from './watch';

interface StatusOptions extends DestinationOptions {
  json?: boolean;
  usage?: boolean;
  issuer?: string;
  chatgptBaseUrl?: string;
  watch?: boolean | string | number;
}

export function registerStatusCommand(cli: CAC): void {
  cli
    .command('status', 'Show the login in use: account, plan, token expiry, where it came from, usage limits')
    .option('--json', 'Print JSON (tokens are never printed)')
    .option('--no-usage', 'Do not ask the backend for the current usage limits')
    .option(STORE_OPTION[0], 'Show this store instead of the auto-detected login (`codex` or `keychain`)')
    .option(FILE_OPTION[0], 'Show the login in this file instead of the auto-detected one')
    .option('--issuer <url>', 'OAuth issuer used to refresh an expired token (default: $CODEX_AUTH_ISSUER)')
    .option('--chatgpt-base-url <url>', 'ChatGPT backend for usage limits (default: $CODEX_CHATGPT_BASE_URL)')
    .option(
      '--watch [seconds]',
      'Refresh every few seconds (default 5) until Ctrl-C, e.g. to follow the usage limits',
    )
    .example(bin => `  $ ${bin} status`)
    .example(bin => `  $ ${bin} status --json`)
    .example(bin => `  $ ${bin} status --watch`)
    .action(runStatus);
}

async function runStatus(options: StatusOptions): Promise<void> {
  try {
    await showStatus(options);
  } catch (error) {
    // Scripts reading --json get an answer when there is no usable login too; the error goes to stderr.
    if (options.json && CodexAuthError.isInstance(error)) {
      print(JSON.stringify({ loggedIn: false, reason: error.reason, source: error.source }, null, 2));
    }
    throw error;
  }
}

async function showStatus(options: StatusOptions): Promise<void> {
  const abortSignal = interruptSignal();
  for (const problem of await describeLoosePermissions(options)) printWarning(problem);
  const source = await resolveCredentialSource(options);
  const manager = createCodexTokenManager({ source, issuer: resolveIssuer(options.issuer) });

  const read = () => readStatus(manager, options, abortSignal);
  if (options.watch == null || options.watch === false) return printStatus(await read(), options);
  await watch({
    read,
    render: status => printStatus(status, options),
    intervalSeconds: parseWatchInterval(options.watch),
    abortSignal,
  });
}

type Status = {
  login: CodexLoginInfo;
  usage?: UsageLimits;
  usageError?: string;
};

async function readStatus(
  manager: CodexTokenManager,
  options: StatusOptions,
  abortSignal: AbortSignal,
): Promise<Status> {
  // Refreshes an expired token first, as any model call would; the login shown is the one in use.
  const credentials = await manager.getCredentials({ abortSignal });
  const login = await manager.getLogin({ abortSignal });

  let usage: UsageLimits | undefined;
  let usageError: string | undefined;
  if (options.usage !== false) {
    try {
      usage = await fetchUsageLimits({
        chatgptBaseURL: resolveChatgptBaseURL(options.chatgptBaseUrl),
        credentials,
        abortSignal,
      });
    } catch (error) {
      if (abortSignal.aborted) throw error;
      usageError = error instanceof Error ? error.message : String(error);
    }
  }
  return { login, ...(usage != null && { usage }), ...(usageError != null && { usageError }) };
}

function printStatus({ login, usage, usageError }: Status, options: StatusOptions): void {
  const expiresAt = login.expiresAt != null ? new Date(login.expiresAt) : undefined;
  if (options.json) {
    print(
      JSON.stringify(
        {
          loggedIn: true,
          source: login.source,
          accountId: login.accountId,
          email: login.email ?? null,
          plan: usage?.plan_type ?? login.planType ?? null,
          accessTokenExpiresAt: expiresAt?.toISOString() ?? null,
          canRefresh: login.canRefresh,
          usage: usage ?? null,
          ...(usageError != null ? { usageError } : {}),
        },
        null,
        2,
      ),
    );
    return;
  }

  const label = (text: string) => style('gray', text.padEnd(14));
  print(`${style('green', '●')} Logged in with ChatGPT`);
  print(`${label('Account')}${login.accountId}`);
  if (login.email != null) print(`${label('Email')}${login.email}`);
  const plan = usage?.plan_type ?? login.planType;
  if (plan != null) print(`${label('Plan')}${plan}`);
  print(`${label('Source')}${login.source}`);
  if (expiresAt != null) {
    print(
      `${label('Access token')}expires in ${formatDuration(expiresAt.getTime() - Date.now())} (${expiresAt.toLocaleString()})` +
        (login.canRefresh ? ', refreshed automatically' : ', cannot be refreshed from this source'),
    );
  }
  if (usage != null) {
    const lines = formatUsageLimits(usage);
    print(`${label('Usage')}${lines[0] ?? 'no limits reported'}`);
    for (const line of lines.slice(1)) print(`${' '.repeat(14)}${line}`);
  } else if (usageError != null) {
    print(`${label('Usage')}${style('yellow', `unavailable (${usageError})`)}`);
  }
}
