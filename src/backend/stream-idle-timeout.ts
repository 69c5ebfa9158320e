import { APICallError, InvalidArgumentError } from '@ai-sdk/provider';

/** The Codex CLI's `stream_idle_timeout_ms` (codex-rs/model-provider-info): 300 s. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;

// setTimeout fires at once for delays above 2^31 - 1 ms (about 24.8 days).
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The timeout setting, checked: a positive number of milliseconds, at most about 24 days. */
export function checkStreamIdleTimeout(timeoutMs: number | undefined): number {
  if (timeoutMs == null) return DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  if (!(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new InvalidArgumentError({
      argument: 'streamIdleTimeoutMs',
      message: `streamIdleTimeoutMs must be a positive number of milliseconds up to ${MAX_TIMEOUT_MS} (default ${DEFAULT_STREAM_IDLE_TIMEOUT_MS}), not ${String(timeoutMs)}.`,
    });
  }
  return timeoutMs;
}

/**
 * Bounds how long one backend request may go without a sign of life: until its response headers arrive,
 * and between two chunks of its body while the reader waits for them (a slow reader never trips it). Like
 * the Codex CLI's "idle timeout waiting for SSE", running out is a retryable error; it also aborts the
 * request, so the connection is not left open.
 *
 * One timer serves the whole request: when it fires early it is set again for the time left, so a token
 * costs no timer of its own.
 */
export class StreamIdleTimeout {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  readonly #error: () => APICallError;
  /** Stops forwarding the caller's abort, once the request is over: a signal reused for many requests keeps no listener. */
  readonly #unlink: () => void;
  /** When the pending wait (for the headers or a chunk) started; undefined while nothing is awaited. */
  #waitingSince: number | undefined;
  /** Ends what is being waited for: the request, then the body's reader. */
  #onExpired: ((error: APICallError) => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expired: APICallError | undefined;

  constructor({
    timeoutMs,
    abortSignal,
    url,
    requestBodyValues,
  }: {
    timeoutMs: number;
    abortSignal?: AbortSignal;
    url: string;
    requestBodyValues?: unknown;
  }) {
    this.#timeoutMs = timeoutMs;
    // Forwarded by hand rather than with AbortSignal.any, which Next.js's edge runtime lacks.
    const forward = () => this.#controller.abort(abortSignal?.reason);
    if (abortSignal?.aborted) forward();
    else abortSignal?.addEventListener('abort', forward, { once: true });
    this.#unlink = () => abortSignal?.removeEventListener('abort', forward);
    this.signal = this.#controller.signal;
    this.#error = () =>
      new APICallError({
        message: `The Codex backend sent nothing for ${formatDuration(timeoutMs)} (idle timeout waiting for the response stream); the request can be retried.`,
        url,
        requestBodyValues,
        isRetryable: true,
      });
  }

  /** How long a wait may last. */
  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** Runs `request` (which must use `this.signal`) until it resolves or the time runs out. */
  async run<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await this.#wait(request);
    } catch (error) {
      this.stop();
      throw error;
    }
  }

  /**
   * Marks the start of a wait for the next chunk of the body. If it lasts too long, the request is
   * aborted and `onExpired` is called, to end the wait (e.g. by cancelling the reader).
   */
  startWaiting(onExpired: (error: APICallError) => void): void {
    this.#onExpired = onExpired;
    this.#waitingSince = Date.now();
    if (this.#timer === undefined && this.#expired == null) this.#arm(this.#timeoutMs);
  }

  /** Marks the end of the wait; throws the timeout error if the time ran out meanwhile. */
  endWaiting(): void {
    this.#waitingSince = undefined;
    if (this.#expired != null) throw this.#expired;
  }

  /**
   * `stream` with every read bounded (for relaying a body as it is): one that waits too long fails with the
   * timeout error, aborts the request and cancels `stream`. The timing stops when `stream` ends, fails or is
   * cancelled.
   */
  watchStream<T>(stream: ReadableStream<T>): ReadableStream<T> {
    const reader = stream.getReader();
    // Cancelling ends the pending read, which then fails with the timeout error.
    const cancel = (error: APICallError) => reader.cancel(error).catch(() => {});
    return new ReadableStream<T>(
      {
        pull: async controller => {
          this.startWaiting(cancel);
          let result: ReadableStreamReadResult<T>;
          try {
            result = await reader.read();
          } catch (error) {
            this.stop();
            this.endWaiting();
            throw error;
          }
          this.endWaiting();
          if (result.done) {
            this.stop();
            controller.close();
          } else controller.enqueue(result.value);
        },
        cancel: reason => {
          this.stop();
          return reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** Ends the timing and the link to the caller's signal. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // The wait's callback reaches the whole response (reader, parser, events). V8 may place this object in
    // the old generation (allocation-site pretenuring); still pointing there once garbage, it would keep
    // every request's objects alive through young collections and promote them (bench/PROFILING.md).
    this.#onExpired = undefined;
    this.#unlink();
  }

  /** Waits for `pending`, failing with the timeout error if it takes too long. */
  #wait<T>(pending: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.startWaiting(reject);
      pending().then(
        value => {
          this.#waitingSince = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.#waitingSince = undefined;
          reject(error);
        },
      );
    });
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#waitingSince === undefined) return;
      const leftMs = this.#timeoutMs - (Date.now() - this.#waitingSince);
      if (leftMs > 0) return this.#arm(leftMs);
      const error = this.#error();
      this.#expired = error;
      this.#unlink();
      this.#controller.abort(error);
      this.#onExpired?.(error);
    }, delayMs);
    // Node.js: an idle stream the app stopped reading must not keep the process alive.
    (this.#timer as { unref?: () => void }).unref?.();
  }
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
