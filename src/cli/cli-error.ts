/** Exit codes of `ai-sdk-provider-codex`, documented in `--help`. */
export const EXIT_CODES = {
  ok: 0,
  /** The operation failed (network, server, file system). */
  failed: 1,
  /** Bad arguments or input; nothing was changed. */
  usage: 2,
  /** No usable login: log in (again). */
  notLoggedIn: 3,
  /** Interrupted with Ctrl-C. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** An error the CLI reports as its message alone (no stack), with a chosen exit code. */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode = EXIT_CODES.failed) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
