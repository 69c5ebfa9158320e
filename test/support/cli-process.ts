import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodexEmulator } from '../../src/testing';

const REPO = resolve(import.meta.dirname, '../..');
const CLI_ENTRY = join(REPO, 'src/cli/index.ts');
// By URL: the CLI runs in the sandbox, where `--import tsx` would not resolve.
const TSX_LOADER = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

/**
 * Each test starts the CLI (Node + tsx) a few times, and the login tests Chromium and the Codex CLI as well:
 * seconds each on a busy two-core machine.
 */
export const CLI_TEST_TIMEOUT_MS = 90_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The `ai-sdk-provider-codex` CLI running as a real child process (its TypeScript source through tsx). */
export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the first match of `pattern` in the output stream, waiting for it to appear. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  write(text: string): void;
  /** Resolves when the process exits. */
  readonly exited: Promise<CliResult>;
}

/** The command line that runs the CLI with these arguments, for a process started another way (e.g. in tmux). */
export function cliCommand(args: string[]): string[] {
  return [process.execPath, '--import', TSX_LOADER, CLI_ENTRY, ...args];
}

/**
 * Runs a command in a private D-Bus session with an unlocked gnome-keyring (credentials.md §2.1). The keyring
 * file lives in `$HOME/.local/share/keyrings`, so later sessions with the same HOME see the same items.
 */
export const WITH_KEYRING = [
  'dbus-run-session',
  '--',
  'sh',
  '-c',
  'eval "$(printf %s test-keyring-pw | gnome-keyring-daemon --unlock --components=secrets)"; export GNOME_KEYRING_CONTROL; exec "$@"',
  'sh',
];

/**
 * Starts the CLI in `env.HOME` (the sandbox), so relative paths never land in the repository; with
 * `keyring`, inside its own D-Bus session and Secret Service.
 */
export function startCli(
  args: string[],
  env: Record<string, string>,
  options: { keyring?: boolean } = {},
): CliProcess {
  const command = cliCommand(args);
  const [file, ...rest] = options.keyring ? [...WITH_KEYRING, ...command] : command;
  const child = spawn(file!, rest, {
    cwd: env.HOME,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].setEncoding('utf8');
    child[stream].on('data', (chunk: string) => {
      output[stream] += chunk;
      for (const wake of waiters.splice(0)) wake();
    });
  }
  const exited = new Promise<CliResult>(resolveExit => {
    child.on('close', code => {
      resolveExit({ code, ...output });
      for (const wake of waiters.splice(0)) wake();
    });
  });
  return {
    child,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    exited,
    write: text => child.stdin.write(text),
    waitFor(pattern, stream = 'stderr') {
      return new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = output[stream].match(pattern);
          if (match) return resolveMatch(match);
          if (child.exitCode != null || child.signalCode != null) {
            return reject(
              new Error(
                `the CLI exited (${child.exitCode}) before printing ${pattern}:\n${output.stdout}\n${output.stderr}`,
              ),
            );
          }
          waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Runs the CLI to completion with nothing on stdin. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  options: { keyring?: boolean } = {},
): Promise<CliResult> {
  const cli = startCli(args, env, options);
  cli.child.stdin.end();
  return cli.exited;
}

/**
 * A private home for one test: HOME, CODEX_HOME and XDG dirs in a temp dir, and the CLI pointed at the
 * emulator for every endpoint. Nothing of the user's real ~/.codex or environment leaks in.
 */
export async function createCliSandbox(emulator: CodexEmulator) {
  const root = await mkdtemp(join(tmpdir(), 'codex-cli-'));
  const codexHome = join(root, '.codex');
  await mkdir(codexHome, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: root,
    CODEX_HOME: codexHome,
    XDG_STATE_HOME: join(root, '.local', 'state'),
    XDG_DATA_HOME: join(root, '.local', 'share'),
    CODEX_AUTH_ISSUER: emulator.issuer,
    CODEX_REFRESH_TOKEN_URL_OVERRIDE: emulator.tokenURL,
    CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${emulator.issuer}/oauth/revoke`,
    CODEX_BASE_URL: emulator.baseURL,
    NO_COLOR: '1',
  };
  return {
    root,
    codexHome,
    authJsonPath: join(codexHome, 'auth.json'),
    env,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
