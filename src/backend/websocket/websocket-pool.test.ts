import { describe, expect, it } from 'vitest';
import type { CodexWebSocket } from './codex-websocket';
import { WebSocketPool } from './websocket-pool';

function fakeSocket(name: string) {
  const socket = {
    name,
    isOpen: true,
    closed: false,
    setActive() {},
    close() {
      socket.closed = true;
      socket.isOpen = false;
    },
  };
  return socket;
}

const asSocket = (fake: ReturnType<typeof fakeSocket>) => fake as unknown as CodexWebSocket;

describe('WebSocketPool', () => {
  it('keeps every connection of a conversation that calls at once, and hands out the latest first', () => {
    const pool = new WebSocketPool(4);
    const [a, b] = [fakeSocket('a'), fakeSocket('b')];
    expect(pool.reserve()).toBe(true);
    expect(pool.reserve()).toBe(true);
    pool.release('conversation', asSocket(a));
    pool.release('conversation', asSocket(b));

    expect(pool.take('conversation')).toBe(asSocket(b));
    expect(pool.take('conversation')).toBe(asSocket(a));
    expect(pool.take('conversation')).toBeUndefined();
    expect(a.closed || b.closed).toBe(false);
  });

  it('closes the longest idle connection when the bound is reached, and refuses when all are busy', () => {
    const pool = new WebSocketPool(2);
    const [a, b] = [fakeSocket('a'), fakeSocket('b')];
    pool.reserve();
    pool.reserve();
    pool.release('one', asSocket(a));
    pool.release('two', asSocket(b));

    expect(pool.reserve()).toBe(true);
    expect(a.closed).toBe(true);
    expect(b.closed).toBe(false);
    expect(pool.take('one')).toBeUndefined();
    expect(pool.take('two')).toBe(asSocket(b));
    expect(pool.reserve()).toBe(false);
  });

  it('passes over a connection that closed while idle, and frees its place', () => {
    const pool = new WebSocketPool(1);
    const a = fakeSocket('a');
    pool.reserve();
    pool.release('conversation', asSocket(a));
    a.isOpen = false;

    expect(pool.take('conversation')).toBeUndefined();
    expect(pool.reserve()).toBe(true);
  });
});
