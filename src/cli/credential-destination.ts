import { resolve } from 'node:path';
import type { CodexCredentialSource, CodexCredentialStore } from '../auth/codex-credential-source';
import { detectCodexCredentialSource } from '../auth/default-codex-auth';
import { createCodexCliCredentialStore, createFileCredentialStore } from '../auth/stores/file-store';
import { createKeychainCredentialStore } from '../auth/stores/keychain-store';
import { CliError, EXIT_CODES } from './cli-error';

/** `--store` and `--file`, shared by the commands that write or remove a login. */
export interface DestinationOptions {
  store?: string;
  file?: string;
}

export const STORE_OPTION = [
  '--store <store>',
  'Where the login lives: `codex` ($CODEX_HOME/auth.json, shared with the Codex CLI; default) or `keychain` (the OS keychain)',
] as const;
export const FILE_OPTION = [
  '--file <path>',
  'Use this file (Codex auth.json format) instead of --store',
] as const;

/** Picks the store `--store` / `--file` name. */
export function resolveDestination({ store, file }: DestinationOptions): CodexCredentialStore {
  if (file != null) {
    if (store != null) {
      throw new CliError('Use either --store or --file, not both.', EXIT_CODES.usage);
    }
    if (typeof file !== 'string' || file === '') {
      throw new CliError('--file needs a path, e.g. --file ./codex-auth.json', EXIT_CODES.usage);
    }
    const path = resolve(file);
    return createFileCredentialStore({ path, description: `credentials file (${path})` });
  }
  switch (store ?? 'codex') {
    case 'codex':
      return createCodexCliCredentialStore();
    // This package's own entry; the Codex CLI's keychain entry is read by auto-detection but never written here.
    case 'keychain':
      return createKeychainCredentialStore();
    default:
      throw new CliError(
        `Unknown --store "${store}". Use --store codex ($CODEX_HOME/auth.json), --store keychain, or --file <path>.`,
        EXIT_CODES.usage,
      );
  }
}

/** The login a reading command uses: the one `--store` / `--file` name, else the auto-detected one. */
export async function resolveCredentialSource(options: DestinationOptions): Promise<CodexCredentialSource> {
  return options.store != null || options.file != null
    ? resolveDestination(options)
    : detectCodexCredentialSource();
}
