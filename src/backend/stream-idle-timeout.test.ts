import { getEventListeners } from 'node:events';
import { APICallError, InvalidArgumentError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../test/support/collect-garbage';
import {
  checkStreamIdleTimeout,
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  StreamIdleTimeout,
} from './stream-idle-timeout';

const url = 'https://backend.example/responses';

function idle(timeoutMs: number, abortSignal?: AbortSignal) {
  return new StreamIdleTimeout({ timeoutMs, abortSignal, url, requestBodyValues: { model: 'm' } });
}

/** A stream whose chunks the test pushes by hand; `cancelled` resolves with the cancel reason. */
function manualStream<T>() {
  let controller!: ReadableStreamDefaultController<T>;
  let markCancelled!: (reason: unknown) => void;
  const cancelled = new Promise<unknown>(resolve => {
    markCancelled = resolve;
  });
  const stream = new ReadableStream<T>({
    start: c => {
      controller = c;
    },
    cancel: reason => markCancelled(reason),
  });
  return {
    stream,
    push: (chunk: T) => controller.enqueue(chunk),
    close: () => controller.close(),
    cancelled,
  };
}

describe('checkStreamIdleTimeout', () => {
  it('defaults to the Codex CLI’s 300 s and keeps a valid setting', () => {
    expect(checkStreamIdleTimeout(undefined)).toBe(300_000);
    expect(DEFAULT_STREAM_IDLE_TIMEOUT_MS).toBe(300_000);
    expect(checkStreamIdleTimeout(250)).toBe(250);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '5' as unknown as number])(
    'refuses %s with an InvalidArgumentError naming the setting',
    value => {
      expect(() => checkStreamIdleTimeout(value)).toThrow(InvalidArgumentError);
      expect(() => checkStreamIdleTimeout(value)).toThrow(/streamIdleTimeoutMs must be a positive number/);
    },
  );
});

describe('StreamIdleTimeout', () => {
  it('passes a request that answers in time through', async () => {
    const timeout = idle(1000);
    await expect(timeout.run(async () => 'answer')).resolves.toBe('answer');
    expect(timeout.signal.aborted).toBe(false);
  });

  it('fails a request without an answer with a retryable APICallError and aborts its signal', async () => {
    const timeout = idle(20);
    const error = await timeout.run(() => new Promise(() => {})).catch((caught: unknown) => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ isRetryable: true, url, requestBodyValues: { model: 'm' } });
    expect((error as Error).message).toMatch(/sent nothing for 20 ms \(idle timeout/);
    expect(timeout.signal.aborted).toBe(true);
    expect(timeout.signal.reason).toBe(error);
  });

  it('passes chunks through and ends with the source', async () => {
    const source = manualStream<string>();
    const reader = idle(1000).watchStream(source.stream).getReader();
    source.push('a');
    source.push('b');
    source.close();
    expect(await reader.read()).toEqual({ done: false, value: 'a' });
    expect(await reader.read()).toEqual({ done: false, value: 'b' });
    expect(await reader.read()).toEqual({ done: true, value: undefined });
  });

  it('fails a read that waits too long and cancels the source', async () => {
    const source = manualStream<string>();
    const timeout = idle(30);
    const reader = timeout.watchStream(source.stream).getReader();
    source.push('first');
    expect(await reader.read()).toEqual({ done: false, value: 'first' });
    const error = await reader.read().catch((caught: unknown) => caught);
    expect(APICallError.isInstance(error) && error.isRetryable).toBe(true);
    expect(await source.cancelled).toBe(error);
    expect(timeout.signal.aborted).toBe(true);
  });

  it('does not count the time a slow reader takes between reads', async () => {
    const source = manualStream<string>();
    const reader = idle(20).watchStream(source.stream).getReader();
    source.push('a');
    source.push('b');
    expect(await reader.read()).toEqual({ done: false, value: 'a' });
    // The reader is busy for longer than the timeout; the source had its chunk ready all along.
    await new Promise(resolve => setTimeout(resolve, 60));
    expect(await reader.read()).toEqual({ done: false, value: 'b' });
  });

  it('leaves no listener on a caller’s signal reused for many requests, whatever their end', async () => {
    const caller = new AbortController();
    for (let round = 0; round < 20; round++) {
      const timeout = idle(round % 4 === 3 ? 10 : 1000, caller.signal);
      if (round % 4 === 0) {
        await timeout.run(async () => 'headers');
        const source = manualStream<string>();
        const reader = timeout.watchStream(source.stream).getReader();
        source.push('a');
        source.close();
        while (!(await reader.read()).done);
      } else if (round % 4 === 1) {
        await timeout.run(() => Promise.reject(new Error('refused'))).catch(() => {});
      } else if (round % 4 === 2) {
        await timeout.run(async () => 'headers');
        await timeout.watchStream(manualStream<string>().stream).cancel();
      } else {
        await timeout.run(() => new Promise(() => {})).catch(() => {});
      }
    }
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('once stopped, no longer holds what its last wait would have ended', async () => {
    // What a wait's callback reaches stands for the whole response (reader, parser, events).
    const endWith = (response: object) => () => response;
    let response: object | undefined = { events: ['a', 'b'] };
    const responseRef = new WeakRef(response);
    const timeout = idle(1000);
    timeout.startWaiting(endWith(response));
    timeout.endWaiting();
    timeout.stop();
    response = undefined;
    // A WeakRef keeps its target until the current job ends.
    await new Promise(resolve => setTimeout(resolve, 0));
    collectGarbage();
    expect(responseRef.deref()).toBeUndefined();
    expect(timeout.signal.aborted).toBe(false);
  });

  it('follows the caller’s abort signal', () => {
    const caller = new AbortController();
    const timeout = idle(1000, caller.signal);
    caller.abort(new Error('stop'));
    expect(timeout.signal.aborted).toBe(true);
  });
});
