import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { safeParseJSON } from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';
import { writeFileAtomic } from '../auth/stores/atomic-write';

const ledgerSchema = z.object({
  version: z.literal(1),
  logins: z.record(z.string(), z.object({ accountId: z.string(), savedAt: z.string(), via: z.string() })),
});

type Ledger = z.infer<typeof ledgerSchema>;

/**
 * Remembers which logins this CLI wrote (destination and account, never a token), so that `logout` removes
 * only those and leaves a login another tool created alone. Kept in
 * `${XDG_STATE_HOME:-~/.local/state}/ai-sdk-provider-codex/logins.json`.
 */
export function ledgerPath(env = process.env): string {
  return join(
    env.XDG_STATE_HOME || join(homedir(), '.local', 'state'),
    'ai-sdk-provider-codex',
    'logins.json',
  );
}

async function readLedger(path: string): Promise<Ledger> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, logins: {} };
    throw error;
  }
  const parsed = await safeParseJSON({ text, schema: ledgerSchema });
  // An unreadable ledger only makes `logout` ask for --force; start a new one.
  return parsed.success ? parsed.value : { version: 1, logins: {} };
}

async function writeLedger(path: string, ledger: Ledger): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, `${JSON.stringify(ledger, null, 2)}\n`);
}

/** Records that this CLI saved a login for `accountId` at `destination` (a store's description). */
export async function recordLogin(destination: string, accountId: string, via: string): Promise<void> {
  const path = ledgerPath();
  const ledger = await readLedger(path);
  ledger.logins[destination] = { accountId, savedAt: new Date().toISOString(), via };
  await writeLedger(path, ledger);
}

/** True when this CLI wrote the login for `accountId` now at `destination`. */
export async function wroteLogin(destination: string, accountId: string | undefined): Promise<boolean> {
  const entry = (await readLedger(ledgerPath())).logins[destination];
  return entry != null && accountId != null && entry.accountId === accountId;
}

export async function forgetLogin(destination: string): Promise<void> {
  const path = ledgerPath();
  const ledger = await readLedger(path);
  if (ledger.logins[destination] == null) return;
  delete ledger.logins[destination];
  await writeLedger(path, ledger);
}
