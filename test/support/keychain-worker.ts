/**
 * Runs inside `scripts/with-keyring.sh` (a private D-Bus session with gnome-keyring). Stores a login the way the
 * Codex CLI (keyring-rs v3) does, lets the default auth find and rotate it against the emulator, and prints one
 * JSON line with what the Secret Service holds afterwards. Env: CODEX_HOME, WORKER_AUTH_JSON,
 * WORKER_BASE_URL, WORKER_TOKEN_URL.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { codexHomeKeyringHash } from '../../src/auth/codex-home';
import { createDefaultCodexAuth } from '../../src/auth/default-codex-auth';
import { createKeychainCredentialStore } from '../../src/auth/stores/keychain-store';
import { CodexTokenManager } from '../../src/auth/token-manager';
import { callBackend } from './auth-harness';
import { describeWorkerError } from './worker-error';

const env = process.env;
const account = `cli|${codexHomeKeyringHash(env.CODEX_HOME!)}`;
const secretTool = (args: string[], input?: string) =>
  execFileSync('secret-tool', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

// Exactly what keyring-rs v3 (the Codex CLI's keychain crate) writes on the Secret Service.
secretTool(
  [
    'store',
    `--label=keyring-rs v3.6.3 for target 'default', service 'Codex Auth', user '${account}'`,
    'service',
    'Codex Auth',
    'username',
    account,
    'target',
    'default',
    'application',
    'rust-keyring',
  ],
  env.WORKER_AUTH_JSON,
);

async function outcome(
  action: () => Promise<unknown>,
): Promise<{ value?: unknown; error?: string; reason?: string }> {
  try {
    return { value: await action() };
  } catch (error) {
    return describeWorkerError(error);
  }
}

const auth = createDefaultCodexAuth({ tokenURL: env.WORKER_TOKEN_URL, env: { CODEX_HOME: env.CODEX_HOME } });
const call = await outcome(() => callBackend(env.WORKER_BASE_URL!, auth));
const login = await outcome(() => auth.getLogin());
const missing = await outcome(() =>
  new CodexTokenManager({ source: createKeychainCredentialStore({ account: 'nobody' }) }).getCredentials(),
);

console.log(
  JSON.stringify({
    call,
    source: (login.value as { source?: string } | undefined)?.source,
    missing,
    stored: secretTool(['lookup', 'service', 'Codex Auth', 'username', account]),
    // secret-tool prints the items on stdout and their attributes on stderr.
    attributes: (({ stdout, stderr }) => `${stdout}${stderr}`)(
      spawnSync('secret-tool', ['search', '--all', 'service', 'Codex Auth'], { encoding: 'utf8' }),
    ),
  }),
);
