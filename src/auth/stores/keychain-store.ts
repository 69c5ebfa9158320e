import { homedir } from 'node:os';
import { join } from 'node:path';
import { CodexAuthError } from '../codex-auth-error';
import type { CodexCredentialStore } from '../codex-credential-source';
import { codexHomeKeyringHash, resolveCodexHome } from '../codex-home';
import { createCodexAuthJsonStore } from './codex-auth-json-store';
import { acquireFileLock } from './file-lock';
import { CODEX_CLI_SHARED_REFRESH_WINDOW_MS } from './file-store';

/** The keychain service of this package's own entry. */
export const KEYCHAIN_SERVICE = 'ai-sdk-provider-codex';
/** The keychain service the Codex CLI stores its login under. */
export const CODEX_CLI_KEYCHAIN_SERVICE = 'Codex Auth';

interface KeyringEntry {
  getPassword(): Promise<string | null | undefined>;
  setPassword(password: string): Promise<void>;
  deletePassword(): Promise<boolean>;
}

type KeyringModule = {
  AsyncEntry: new (
    service: string,
    account: string,
    options?: { linux?: { store?: string } },
  ) => KeyringEntry;
};

let keyringPromise: Promise<KeyringModule | undefined> | undefined;

/** `@napi-rs/keyring`, an optional peer: loaded on first use, `undefined` when it is not installed. */
function loadKeyring(): Promise<KeyringModule | undefined> {
  keyringPromise ??= (async () => {
    // A non-literal specifier keeps bundlers from tracing the optional native module.
    const specifier = '@napi-rs/keyring';
    try {
      return (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as KeyringModule;
    } catch {
      return undefined;
    }
  })();
  return keyringPromise;
}

/** Whether `@napi-rs/keyring` can be loaded here (it says nothing about a running keychain service). */
export async function isKeychainAvailable(): Promise<boolean> {
  return (await loadKeyring()) != null;
}

export interface KeychainCredentialStoreOptions {
  service?: string;
  /** Default: `default`. */
  account?: string;
  /** The file to `flock` around every rotation, shared by every process using this entry. */
  lockPath?: string;
  description?: string;
  lockTimeoutMs?: number;
  /** How long before expiry to refresh (see `CodexCredentialSource.refreshWindowMs`). */
  refreshWindowMs?: number;
}

/**
 * A login in the OS keychain (macOS Keychain, Secret Service on Linux, Windows Credential Manager) through the
 * optional peer `@napi-rs/keyring`, stored as the Codex CLI stores its own: the compact `auth.json` JSON.
 * Rotation is serialized across processes by a `flock` on `lockPath`. On Linux the entry is pinned to the
 * Secret Service, so a login never silently lands in the kernel keyring, which does not survive a reboot.
 */
export function createKeychainCredentialStore({
  service = KEYCHAIN_SERVICE,
  account = 'default',
  lockPath = join(homedir(), '.cache', 'ai-sdk-provider-codex', 'keychain.lock'),
  description = `OS keychain entry "${service}" / "${account}"`,
  lockTimeoutMs,
  refreshWindowMs,
}: KeychainCredentialStoreOptions = {}): CodexCredentialStore {
  function unavailable(detail: string, cause?: unknown) {
    return new CodexAuthError({
      reason: 'keychain-unavailable',
      source: description,
      message: detail,
      cause,
    });
  }

  async function entry(name: string): Promise<KeyringEntry> {
    const keyring = await loadKeyring();
    if (keyring == null) {
      throw unavailable(
        'the OS keychain needs the optional package @napi-rs/keyring: install it with `npm install @napi-rs/keyring`.',
      );
    }
    try {
      return new keyring.AsyncEntry(service, name, { linux: { store: 'secret-service' } });
    } catch (error) {
      throw keychainError(error);
    }
  }

  function keychainError(error: unknown) {
    return unavailable(
      `the keychain could not be used (${error instanceof Error ? error.message : String(error)}). On Linux it needs a running, unlocked Secret Service (e.g. gnome-keyring) on the D-Bus session bus.`,
      error,
    );
  }

  async function call<T>(action: (entry: KeyringEntry) => Promise<T>, name = account): Promise<T> {
    const target = await entry(name);
    try {
      return await action(target);
    } catch (error) {
      throw keychainError(error);
    }
  }

  return createCodexAuthJsonStore({
    description,
    refreshWindowMs,
    lock: ({ abortSignal }) =>
      acquireFileLock(lockPath, { source: description, timeoutMs: lockTimeoutMs, abortSignal }),
    readText: () => call(async target => (await target.getPassword()) ?? undefined),
    writeText: text => call(target => target.setPassword(text)),
    removeText: () => call(target => target.deletePassword()),
    async backUp(text) {
      const backupAccount = `${account}.backup-${new Date().toISOString()}`;
      await call(target => target.setPassword(text), backupAccount);
      return `OS keychain entry "${service}" / "${backupAccount}"`;
    },
    // The Codex CLI stores serde_json::to_string of its auth.json: compact JSON.
    serialize: document => JSON.stringify(document),
  });
}

/**
 * The Codex CLI's own keychain login (`cli_auth_credentials_store = "keyring"`): service `Codex Auth`, account
 * `cli|<hash of $CODEX_HOME>`, rotated under the CLI's `$CODEX_HOME/auth.lock`.
 */
export function createCodexCliKeychainStore(
  options: { codexHome?: string; lockTimeoutMs?: number } = {},
): CodexCredentialStore {
  const home = resolveCodexHome(options.codexHome);
  const account = `cli|${codexHomeKeyringHash(home)}`;
  return createKeychainCredentialStore({
    service: CODEX_CLI_KEYCHAIN_SERVICE,
    account,
    lockPath: join(home, 'auth.lock'),
    description: `Codex CLI keychain entry "${CODEX_CLI_KEYCHAIN_SERVICE}" / "${account}"`,
    lockTimeoutMs: options.lockTimeoutMs,
    refreshWindowMs: CODEX_CLI_SHARED_REFRESH_WINDOW_MS,
  });
}
