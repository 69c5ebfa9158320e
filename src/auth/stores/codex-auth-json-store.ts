import { CodexAuthError } from '../codex-auth-error';
import { type CodexAuthJson, mergeCodexAuthJson, parseCodexAuthJson } from '../codex-auth-json';
import type { CodexCredentialStore, CodexLogin } from '../codex-credential-source';

/** Where a Codex `auth.json` document lives (a file, a keychain entry) and how it is locked. */
export interface CodexAuthJsonLocation {
  description: string;
  refreshWindowMs?: number;
  /** Takes the exclusive lock shared with everyone who writes this document; resolves to its release. */
  lock(options: { abortSignal?: AbortSignal }): Promise<() => Promise<void>>;
  /** The document's text, or `undefined` when there is none. */
  readText(): Promise<string | undefined>;
  writeText(text: string): Promise<void>;
  removeText(): Promise<boolean>;
  serialize(document: CodexAuthJson): string;
  /** Moves an unreadable document aside before a new login replaces it; without it, such a document is never replaced. */
  setAside?(): Promise<string>;
  /** Keeps a copy of `text` (the current document) beside it; resolves to where the copy went. */
  backUp(text: string): Promise<string>;
}

const REREAD_DELAY_MS = 50;

/**
 * A store over a Codex `auth.json` document: rotation under the location's lock, re-read under the lock,
 * writes that keep every field the document had.
 */
export function createCodexAuthJsonStore(location: CodexAuthJsonLocation): CodexCredentialStore {
  const { description, refreshWindowMs } = location;

  async function load(): Promise<{ document: CodexAuthJson; login: CodexLogin } | undefined> {
    const text = await location.readText();
    return text == null ? undefined : parseCodexAuthJson(text, description);
  }

  async function underLock<T>(abortSignal: AbortSignal | undefined, action: () => Promise<T>): Promise<T> {
    const release = await location.lock({ abortSignal });
    try {
      return await action();
    } finally {
      await release();
    }
  }

  return {
    description,
    refreshWindowMs,

    async read() {
      try {
        return (await load())?.login;
      } catch (error) {
        // Writers that do not write atomically (older Codex CLIs, other tools) can be caught mid-write.
        if (!(CodexAuthError.isInstance(error) && error.reason === 'malformed')) throw error;
        await new Promise(resolve => setTimeout(resolve, REREAD_DELAY_MS));
        return (await load())?.login;
      }
    },

    update(update, options) {
      return underLock(options?.abortSignal, async () => {
        const current = await load();
        const next = await update(current?.login);
        if (next == null) return current?.login;
        await location.writeText(location.serialize(mergeCodexAuthJson(current?.document, next)));
        return next;
      });
    },

    save(login, options) {
      return underLock(options?.abortSignal, async () => {
        let current: Awaited<ReturnType<typeof load>>;
        try {
          current = await load();
        } catch (error) {
          if (!(CodexAuthError.isInstance(error) && error.reason === 'malformed' && location.setAside))
            throw error;
          await location.setAside();
          current = undefined;
        }
        await location.writeText(location.serialize(mergeCodexAuthJson(current?.document, login)));
      });
    },

    backUp(options) {
      return underLock(options?.abortSignal, async () => {
        const text = await location.readText();
        return text == null ? undefined : location.backUp(text);
      });
    },

    remove(options) {
      return underLock(options?.abortSignal, () => location.removeText());
    },
  };
}
