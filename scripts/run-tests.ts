/**
 * `npm test [-- vitest arguments]`: puts what the end-to-end tests need on the machine, then runs vitest.
 *
 * The tests use real peers. System programs (Chromium, Redis, a Secret Service) are installed with apt-get when
 * this runs as root on Debian; elsewhere each suite that needs a missing one is left out, and named with the
 * command that installs it, before and after the run. With CI set, nothing is left out: a missing program fails
 * the run. The official Codex CLI is installed with npm into the user's cache (no root needed).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODEX_CLI_VERSION, ensureCodexCli } from '../test/support/codex-cli';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// The suite runs on a Node the package supports. A fresh machine may have an older one: then Node 22 is
// installed from npm into the cache, as `.ci/run` does, and this script runs again on it.
const NODE_MAJOR = 22;
if (Number(process.versions.node.split('.')[0]) < NODE_MAJOR) {
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ai-sdk-provider-codex');
  const bin = join(cache, `node${NODE_MAJOR}`, 'node_modules', '.bin');
  if (!existsSync(join(bin, 'node'))) {
    console.log(
      `Node ${process.version} is too old for the tests: installing Node ${NODE_MAJOR} into ${cache}…`,
    );
    const args = ['--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node@${NODE_MAJOR}`];
    if (run('npm', ['install', '--prefix', join(cache, `node${NODE_MAJOR}`), ...args]) !== 0) {
      console.error(
        `Could not install Node ${NODE_MAJOR}: install Node.js ${NODE_MAJOR} or newer, then run npm test.`,
      );
      process.exit(1);
    }
  }
  const again = spawnSync(
    join(bin, 'node'),
    ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    },
  );
  process.exit(again.status ?? 1);
}

interface Requirement {
  what: string;
  /** Programs that must be on PATH (or exist, when absolute). */
  programs: string[];
  /** Debian packages that provide them. */
  packages: string[];
  /** Names of the test helpers that use them: a test file that mentions one needs them. */
  usedBy: string[];
}

const SYSTEM_REQUIREMENTS: Requirement[] = [
  {
    what: 'Chromium (browser login, Next.js chat)',
    programs: ['/usr/bin/chromium'],
    packages: ['chromium'],
    usedBy: ['launchChromium'],
  },
  {
    what: 'redis-server (shared credential store)',
    programs: ['redis-server'],
    packages: ['redis-server'],
    usedBy: ['startRedisServer'],
  },
  {
    what: 'gnome-keyring in a private D-Bus session (OS keychain)',
    programs: ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'],
    packages: ['dbus-daemon', 'dbus-user-session', 'gnome-keyring', 'libsecret-tools'],
    usedBy: ['with-keyring', 'keyring: true'],
  },
  {
    what: 'tmux (a real terminal for status --watch)',
    programs: ['tmux'],
    packages: ['tmux'],
    usedBy: ["'tmux'"],
  },
  {
    what: 'flock and setpriv (file locks, a reader without permission)',
    programs: ['flock', 'setpriv'],
    packages: ['util-linux'],
    usedBy: ["'flock'", "'setpriv'"],
  },
];

const CODEX_CLI_USERS = ['useCodexCliDirs', 'ensureCodexCli'];

const ci = process.env.CI != null && !['', '0', 'false'].includes(process.env.CI.toLowerCase());

function onPath(program: string): boolean {
  const candidates = program.startsWith('/')
    ? [program]
    : (process.env.PATH ?? '').split(delimiter).map(dir => join(dir, program));
  return candidates.some(path => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const missing = () => SYSTEM_REQUIREMENTS.filter(r => !r.programs.every(onPath));

function run(command: string, args: string[]): number {
  return spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' }).status ?? 1;
}

function testFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter(name => name.endsWith('.test.ts'))
    .map(name => join(dir, name));
}

const allTestFiles = [...testFiles('src'), ...testFiles('test')].sort();
const suitesUsing = (markers: string[]) =>
  allTestFiles.filter(file => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    return markers.some(marker => text.includes(marker));
  });

const canApt = process.getuid?.() === 0 && existsSync('/etc/debian_version') && onPath('apt-get');
if (missing().length > 0 && canApt) {
  const packages = [...new Set(missing().flatMap(r => r.packages))];
  console.log(`Installing what the end-to-end tests need: apt-get install ${packages.join(' ')}`);
  const installed =
    run('apt-get', ['update', '-qq']) === 0 &&
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]) === 0;
  if (!installed) console.error('apt-get failed; the suites that need these packages are listed below.');
}

/** Suites that cannot run here, each with why and how to fix it. */
const notRunnable = new Map<string, string[]>();
for (const requirement of missing()) {
  const install = existsSync('/etc/debian_version')
    ? `${process.getuid?.() === 0 ? '' : 'sudo '}apt-get install --no-install-recommends ${requirement.packages.join(' ')}`
    : `install ${requirement.programs.join(', ')} (Debian packages: ${requirement.packages.join(' ')})`;
  for (const suite of suitesUsing(requirement.usedBy)) {
    notRunnable.set(suite, [...(notRunnable.get(suite) ?? []), `${requirement.what}: ${install}`]);
  }
}

console.log(`Installing the official Codex CLI ${CODEX_CLI_VERSION} (a test peer) into the user's cache…`);
try {
  console.log(`Codex CLI: ${await ensureCodexCli()}`);
} catch (error) {
  const reason = `the Codex CLI ${CODEX_CLI_VERSION} (npm install failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}): npm install --prefix ~/.cache/ai-sdk-provider-codex/codex-cli-${CODEX_CLI_VERSION} @openai/codex@${CODEX_CLI_VERSION}`;
  for (const suite of suitesUsing(CODEX_CLI_USERS)) {
    notRunnable.set(suite, [...(notRunnable.get(suite) ?? []), reason]);
  }
}

function reportNotRunnable(): void {
  if (notRunnable.size === 0) return;
  console.error(`\n${notRunnable.size} test file(s) cannot run on this machine:`);
  for (const [suite, reasons] of notRunnable) {
    console.error(`  ${suite}\n${reasons.map(reason => `      needs ${reason}`).join('\n')}`);
  }
}

reportNotRunnable();
if (notRunnable.size > 0 && ci) {
  console.error('\nCI is set: no test may be left out. Install the above and run again.');
  process.exit(1);
}

// The Next.js example runs against the package's build.
if (!existsSync(join(ROOT, 'dist/index.js')) && run('npm', ['run', 'build', '--silent']) !== 0)
  process.exit(1);

console.log(`\nvitest on Node ${process.version}`);
const status = run(process.execPath, [
  join(ROOT, 'node_modules/vitest/vitest.mjs'),
  'run',
  ...[...notRunnable.keys()].flatMap(suite => ['--exclude', suite]),
  ...process.argv.slice(2),
]);
if (notRunnable.size > 0) {
  reportNotRunnable();
  console.error('These were NOT run (the rest ran). Install what they need and run `npm test` again.');
}
process.exit(status);
