import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach } from 'vitest';

const execFileAsync = promisify(execFile);

/** The Codex CLI release the tests run against (the one `reference/codex-cli-observed.md` describes). */
export const CODEX_CLI_VERSION = '0.171.0';

/** Where the CLI is cached: outside the repo, shared by every checkout and test run on the machine. */
export function codexCliCacheDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'ai-sdk-provider-codex', `codex-cli-${CODEX_CLI_VERSION}`);
}

let installing: Promise<string> | undefined;

/**
 * Returns the path of the official Codex CLI launcher (`@openai/codex@0.171.0`), installing it into
 * {@link codexCliCacheDir} on first use (the package carries its Linux binary, so the first install can
 * take minutes). Never a dependency of this package. Concurrent installs — several test files or
 * processes — are serialized with `flock` on a lock file next to the cache folder.
 */
export function ensureCodexCli(): Promise<string> {
  installing ??= install().catch(error => {
    installing = undefined;
    throw error;
  });
  return installing;
}

async function install(): Promise<string> {
  const dir = codexCliCacheDir();
  const bin = join(dir, 'node_modules', '.bin', 'codex');
  if (await works(bin)) return bin;
  await mkdir(dir, { recursive: true });
  await execFileAsync(
    'flock',
    [
      `${dir}.lock`,
      'npm',
      'install',
      '--prefix',
      dir,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `@openai/codex@${CODEX_CLI_VERSION}`,
    ],
    { timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  if (!(await works(bin))) {
    throw new Error(
      `Installed @openai/codex@${CODEX_CLI_VERSION} into ${dir}, but \`${bin} --version\` fails.`,
    );
  }
  return bin;
}

async function works(bin: string): Promise<boolean> {
  if (!existsSync(bin)) return false;
  try {
    const { stdout } = await execFileAsync(bin, ['--version'], { timeout: 30_000 });
    return stdout.includes(CODEX_CLI_VERSION);
  } catch {
    return false;
  }
}

/**
 * Call inside a `describe`: installs the CLI once, and gives each test a temp CODEX_HOME whose config keeps
 * credentials in auth.json (not the keyring) and a temp working directory, both removed after the test.
 * Read the fields inside tests; the directories are replaced before each one.
 */
export function useCodexCliDirs() {
  const context = { bin: '', codexHome: '', workDir: '' };
  beforeAll(async () => {
    context.bin = await ensureCodexCli();
  }, 15 * 60_000);
  beforeEach(async () => {
    context.codexHome = await mkdtemp(join(tmpdir(), 'codex-home-'));
    context.workDir = await mkdtemp(join(tmpdir(), 'codex-work-'));
    await writeFile(join(context.codexHome, 'config.toml'), 'cli_auth_credentials_store = "file"\n');
  });
  afterEach(async () => {
    await rm(context.codexHome, { recursive: true, force: true });
    await rm(context.workDir, { recursive: true, force: true });
  });
  return context;
}

/** What a finished Codex CLI run printed. */
export interface CodexRunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the Codex CLI with a private `CODEX_HOME` (and `HOME`, so the user's own `~/.codex` is never
 * read) and stdin closed (`codex exec` otherwise waits for more input on a pipe).
 */
export function runCodex(
  bin: string,
  args: string[],
  options: { codexHome: string; cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CodexRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: options.cwd,
      env: { ...process.env, HOME: options.codexHome, CODEX_HOME: options.codexHome, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => {
      stdout += chunk;
    });
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * `-c` flags that make the CLI talk to an OpenAI-Responses server over plain HTTP as a custom provider
 * using the ChatGPT login (`requires_openai_auth = true`), with the ChatGPT side-calls
 * (`/wham/*`, plugins, analytics) sent to `chatgptBaseURL` instead of chatgpt.com.
 */
export function customProviderArgs(options: {
  baseURL: string;
  chatgptBaseURL?: string;
  name?: string;
  /** Lets the CLI talk to the provider over its `/responses` WebSocket (`supports_websockets`). */
  websockets?: boolean;
}): string[] {
  const name = options.name ?? 'emulator';
  const websockets = options.websockets ? ', supports_websockets=true' : '';
  return [
    '-c',
    `model_provider="${name}"`,
    '-c',
    `model_providers.${name}={name="${name}", base_url="${options.baseURL}", wire_api="responses", requires_openai_auth=true${websockets}}`,
    ...(options.chatgptBaseURL ? ['-c', `chatgpt_base_url="${options.chatgptBaseURL}"`] : []),
  ];
}
