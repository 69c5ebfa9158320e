import { createInterface } from 'node:readline';
import type { CAC } from 'cac';
import open from 'open';
import yoctoSpinner from 'yocto-spinner';
import { DEFAULT_CALLBACK_PORT, FALLBACK_CALLBACK_PORT } from '../auth/login/bind-loopback-server';
import { loginWithBrowser } from '../auth/login/browser-login';
import { codexLoginFromTokens } from '../auth/login/codex-login-from-tokens';
import { completeDeviceCodeLogin, requestDeviceCode } from '../auth/login/device-code-login';
import type { LoginTokens } from '../auth/login/exchange-authorization-code';
import { CODEX_OAUTH_CLIENT_ID } from '../auth/oauth';
import { CliError, EXIT_CODES } from './cli-error';
import { resolveIssuer, resolveOriginator } from './cli-settings';
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
import { print, printInfo, style } from './terminal';

interface LoginOptions extends DestinationOptions {
  device?: boolean;
  force?: boolean;
  issuer?: string;
  port?: string | number;
  browser?: boolean;
}

export function registerLoginCommand(cli: CAC): void {
  cli
    .command('login', 'Sign in with ChatGPT (browser, or --device for machines without one)')
    .option('--device', 'Sign in with a one-time code entered on another device (no local browser needed)')
    .option(...STORE_OPTION)
    .option(...FILE_OPTION)
    .option('--issuer <url>', 'OAuth issuer (default: $CODEX_AUTH_ISSUER or https://auth.openai.com)')
    .option(
      '--port <port>',
      `Port of the local callback server (default ${DEFAULT_CALLBACK_PORT}, then ${FALLBACK_CALLBACK_PORT} when busy)`,
    )
    .option('--no-browser', 'Print the sign-in URL without opening a browser')
    .option('--force', 'Replace a login of another account the destination holds (keeping a backup of it)')
    .example(bin => `  $ ${bin} login`)
    .example(bin => `  $ ${bin} login --device`)
    .example(bin => `  $ ${bin} login --store keychain`)
    .action(runLogin);
}

async function runLogin(options: LoginOptions): Promise<void> {
  const store = resolveDestination(options);
  const issuer = resolveIssuer(options.issuer);
  const abortSignal = interruptSignal();
  let backup: string | undefined;
  const save = async (tokens: LoginTokens) => {
    const login = codexLoginFromTokens(tokens);
    backup = await refuseToReplaceLogin(store, {
      force: options.force,
      replacement: login,
      alternative: 'choose another destination with --store or --file',
      abortSignal,
    });
    await store.save(login, { abortSignal });
    await recordLogin(store.description, login.accountId, 'login');
  };

  const tokens = options.device
    ? await deviceLogin({ issuer, save, abortSignal })
    : await browserLogin({
        issuer,
        save,
        abortSignal,
        port: parsePort(options.port),
        openBrowser: options.browser !== false,
      });

  print(`Logged in as ${describeLoginOwner(codexLoginFromTokens(tokens))}.`);
  print(`Saved to ${store.description}.${sharedWithCodexNote(options)}`);
  if (backup != null) print(`The login of the other account was kept in ${backup}.`);
}

function sharedWithCodexNote(options: DestinationOptions): string {
  return options.file == null && (options.store ?? 'codex') === 'codex'
    ? ' The Codex CLI uses this login too.'
    : '';
}

function parsePort(port: string | number | undefined): number | undefined {
  if (port == null) return undefined;
  const value = Number(port);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new CliError(`--port must be a port number (0-65535), not "${port}".`, EXIT_CODES.usage);
  }
  return value;
}

async function browserLogin({
  issuer,
  save,
  abortSignal,
  port,
  openBrowser,
}: {
  issuer: string;
  save: (tokens: LoginTokens) => Promise<void>;
  abortSignal: AbortSignal;
  port: number | undefined;
  openBrowser: boolean;
}): Promise<LoginTokens> {
  // Lines typed or piped on stdin: the redirect URL, when the browser cannot reach this machine.
  const input = createInterface({ input: process.stdin, terminal: false });
  try {
    return await loginWithBrowser({
      issuer,
      clientId: CODEX_OAUTH_CLIENT_ID,
      originator: resolveOriginator(),
      port,
      save,
      abortSignal,
      pastedRedirects: input,
      onPasteRejected: error => printInfo(style('yellow', error.message, process.stderr)),
      onAuthorizeUrl: async ({ url, redirectUri }) => {
        printInfo(style('bold', 'Sign in with ChatGPT', process.stderr));
        printInfo(`Open this link in your browser${openBrowser ? ' (opening it now)' : ''}:`);
        printInfo();
        printInfo(`  ${style('cyan', url, process.stderr)}`);
        printInfo();
        printInfo(
          `If the browser runs on another machine, signing in ends on a page at ${redirectUri} that fails to load.`,
        );
        printInfo('Copy that page’s full address from the address bar and paste it here, then press Enter.');
        printInfo(`(No browser at all? Press Ctrl-C and run \`login --device\`.)`);
        if (openBrowser) {
          // Best effort, like the Codex CLI: the URL above works without it.
          await open(url).catch(() => undefined);
        }
      },
    });
  } finally {
    input.close();
    process.stdin.destroy();
  }
}

async function deviceLogin({
  issuer,
  save,
  abortSignal,
}: {
  issuer: string;
  save: (tokens: LoginTokens) => Promise<void>;
  abortSignal: AbortSignal;
}): Promise<LoginTokens> {
  const deviceCode = await requestDeviceCode({ issuer, clientId: CODEX_OAUTH_CLIENT_ID, abortSignal });
  printInfo(style('bold', 'Sign in with ChatGPT using a device code', process.stderr));
  printInfo();
  printInfo('1. Open this link in a browser on any device and sign in:');
  printInfo(`     ${style('cyan', deviceCode.verificationUrl, process.stderr)}`);
  printInfo('2. Enter this one-time code (it expires in 15 minutes):');
  printInfo(`     ${style(['bold', 'cyan'], deviceCode.userCode, process.stderr)}`);
  printInfo();
  printInfo(
    style('gray', 'Device codes are a common phishing target. Never share this code.', process.stderr),
  );

  const spinner = yoctoSpinner({
    text: 'Waiting for you to approve the code…',
    handleSignals: false,
  }).start();
  let tokens: LoginTokens;
  try {
    tokens = await completeDeviceCodeLogin({
      issuer,
      clientId: CODEX_OAUTH_CLIENT_ID,
      deviceCode,
      abortSignal,
    });
    spinner.success('Approved.');
  } catch (error) {
    spinner.error('Not approved.');
    throw error;
  }
  await save(tokens);
  return tokens;
}
