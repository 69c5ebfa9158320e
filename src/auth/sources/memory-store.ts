import type { CodexCredentialStore, CodexLogin } from '../codex-credential-source';

/**
 * Explicit credentials held in this process's memory. With a `refreshToken` they are refreshed and rotated
 * here — valid only while no other process or machine holds the same refresh token.
 */
export function createMemoryCredentialStore(
  login?: CodexLogin,
  { description = 'in-memory credentials' }: { description?: string } = {},
): CodexCredentialStore {
  let current = login;
  let queue: Promise<unknown> = Promise.resolve();

  // Serializes rotations the way the file and Redis stores' locks do.
  function exclusive<T>(action: () => Promise<T>): Promise<T> {
    const result = queue.then(action);
    queue = result.catch(() => {});
    return result;
  }

  return {
    description,
    async read() {
      return current;
    },
    update(update) {
      return exclusive(async () => {
        const next = await update(current);
        if (next != null) current = next;
        return current;
      });
    },
    save(next) {
      return exclusive(async () => {
        current = next;
      });
    },
    remove() {
      return exclusive(async () => {
        const had = current != null;
        current = undefined;
        return had;
      });
    },
  };
}
