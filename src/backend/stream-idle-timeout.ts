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
 */
export class StreamIdleTimeout {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  readonly #error: () => APICallError;
  /** Stops forwarding the caller's abort, once the request is over: a signal reused for many requests keeps no listener. */
  readonly #unlink: () => void;

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

  /** Runs `request` (which must use `this.signal`) until it resolves or the time runs out. */
  async run<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await this.#race(request());
    } catch (error) {
      this.#unlink();
      throw error;
    }
  }

  /**
   * A copy of `stream` that fails with the timeout error when a read waits too long, and stops `stream`.
   * One timer serves all reads: when it fires early it is set again for the time left, so a token costs no
   * timer of its own.
   */
  watch<T>(stream: ReadableStream<T>): ReadableStream<T> {
    const reader = stream.getReader();
    // When the pending read started; undefined while none is pending.
    let waitingSince: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let expired = false;
    const stop = () => {
      clearTimeout(timer);
      timer = undefined;
      this.#unlink();
    };
    const arm = (controller: ReadableStreamDefaultController<T>, delayMs: number) => {
      timer = setTimeout(() => {
        timer = undefined;
        if (waitingSince === undefined) return;
        const leftMs = this.#timeoutMs - (Date.now() - waitingSince);
        if (leftMs > 0) return arm(controller, leftMs);
        expired = true;
        this.#unlink();
        const error = this.#error();
        this.#controller.abort(error);
        controller.error(error);
        reader.cancel(error).catch(() => {});
      }, delayMs);
      // Node.js: an idle stream the app stopped reading must not keep the process alive.
      (timer as { unref?: () => void }).unref?.();
    };
    return new ReadableStream<T>(
      {
        pull: async controller => {
          waitingSince = Date.now();
          if (timer === undefined) arm(controller, this.#timeoutMs);
          let result: ReadableStreamReadResult<T>;
          try {
            result = await reader.read();
          } catch (error) {
            stop();
            if (!expired) controller.error(error);
            return;
          } finally {
            waitingSince = undefined;
          }
          if (expired) return;
          if (result.done) {
            stop();
            controller.close();
          } else controller.enqueue(result.value);
        },
        cancel: reason => {
          stop();
          return reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
  }

  #race<T>(pending: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = this.#error();
        this.#controller.abort(error);
        reject(error);
      }, this.#timeoutMs);
    });
    return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
  }
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
