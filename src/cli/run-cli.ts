import { AISDKError } from '@ai-sdk/provider';
import { isAbortError } from '@ai-sdk/provider-utils';
import { cac } from 'cac';
import { CodexAuthError } from '../auth/codex-auth-error';
import { CodexLoginError } from '../auth/login/codex-login-error';
import { VERSION } from '../version';
import { CliError, EXIT_CODES, type ExitCode } from './cli-error';
import { COMMANDS } from './commands';
import { printInfo, style } from './terminal';

const NAME = 'ai-sdk-provider-codex';

const EXIT_CODE_HELP = `Exit codes:
  0    success
  1    the operation failed (network, server, file system)
  2    bad arguments or input; nothing was changed
  3    not logged in, or the login must be renewed
  130  interrupted (Ctrl-C)`;

/** Parses `argv` (as in `process.argv`), runs the subcommand, and resolves to the exit code. */
export async function runCli(argv: string[]): Promise<ExitCode> {
  const cli = cac(NAME);
  for (const register of COMMANDS) register(cli);
  cli.help(sections => {
    if (cli.matchedCommand == null) {
      sections.push({ title: 'Environment', body: ENVIRONMENT_HELP }, { body: EXIT_CODE_HELP });
    }
    // cac shows `(default: true)` beside every `--no-*` flag, which reads as the opposite of what it means.
    return sections.map(section => ({ ...section, body: section.body.replaceAll(' (default: true)', '') }));
  });
  cli.version(VERSION);

  try {
    cli.parse(argv, { run: false });
    if (cli.matchedCommand == null) {
      if (cli.args.length > 0) {
        throw new CliError(
          `Unknown command "${cli.args[0]}". Run \`${NAME} --help\` for the commands.`,
          EXIT_CODES.usage,
        );
      }
      if (!cli.options.help && !cli.options.version) cli.outputHelp();
      return EXIT_CODES.ok;
    }
    await cli.runMatchedCommand();
    return EXIT_CODES.ok;
  } catch (error) {
    return reportError(error, cli.matchedCommandName);
  }
}

const ENVIRONMENT_HELP = `  CODEX_HOME                         where the Codex CLI keeps auth.json (default ~/.codex)
  CODEX_AUTH_ISSUER                  OAuth issuer for login (default https://auth.openai.com)
  CODEX_REFRESH_TOKEN_URL_OVERRIDE   token endpoint for refreshes (as the Codex CLI honours it)
  CODEX_REVOKE_TOKEN_URL_OVERRIDE    revoke endpoint used by logout
  CODEX_BASE_URL                     Codex backend (default https://chatgpt.com/backend-api/codex)
  CODEX_CHATGPT_BASE_URL             ChatGPT backend for usage limits (default: CODEX_BASE_URL without /codex)
  CODEX_ACCESS_TOKEN, CODEX_ACCOUNT_ID   a read-only login from the environment (status shows it)
  NO_COLOR                           disable colors`;

function reportError(error: unknown, command: string | undefined): ExitCode {
  if (isAbortError(error)) {
    printInfo('Interrupted.');
    return EXIT_CODES.interrupted;
  }
  const prefix = style('red', 'error:', process.stderr);
  if (error instanceof CliError) {
    printInfo(`${prefix} ${error.message}`);
    return error.exitCode;
  }
  // cac's own errors: unknown options, missing arguments.
  if (error instanceof Error && error.name === 'CACError') {
    printInfo(`${prefix} ${error.message}. Run \`${NAME} ${command ?? ''} --help\`.`.replace('  ', ' '));
    return EXIT_CODES.usage;
  }
  if (CodexAuthError.isInstance(error)) {
    printInfo(`${prefix} ${error.message}`);
    switch (error.reason) {
      case 'missing':
      case 'login-required':
      case 'expired':
        return EXIT_CODES.notLoggedIn;
      case 'malformed':
      case 'missing-account-id':
      case 'permission-denied':
        return EXIT_CODES.usage;
      default:
        return EXIT_CODES.failed;
    }
  }
  if (CodexLoginError.isInstance(error) || AISDKError.isInstance(error)) {
    printInfo(`${prefix} ${error.message}`);
    return EXIT_CODES.failed;
  }
  printInfo(`${prefix} ${error instanceof Error ? error.message : String(error)}`);
  return EXIT_CODES.failed;
}
