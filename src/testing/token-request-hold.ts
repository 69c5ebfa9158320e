/**
 * Holds token requests until a given number of them are in flight, then lets them all through in the order
 * they arrived: a refresh race in which every client has presented its refresh token before any is answered.
 */
export class TokenRequestHold {
  #pending: { count: number; waiters: Array<() => void>; timer: NodeJS.Timeout } | undefined;

  /** Holds the next `count` token requests until all have arrived, or `timeoutMs` has passed. */
  hold(count: number, timeoutMs: number): void {
    this.release();
    const timer = setTimeout(() => this.release(), timeoutMs);
    timer.unref();
    this.#pending = { count, waiters: [], timer };
  }

  /** Resolves when this request may be answered. */
  arrive(): Promise<void> {
    const pending = this.#pending;
    if (pending == null) return Promise.resolve();
    const arrived = new Promise<void>(resolve => pending.waiters.push(resolve));
    if (pending.waiters.length >= pending.count) this.release();
    return arrived;
  }

  /** Lets every held request through, in arrival order. */
  release(): void {
    const pending = this.#pending;
    if (pending == null) return;
    this.#pending = undefined;
    clearTimeout(pending.timer);
    for (const wake of pending.waiters) wake();
  }
}
