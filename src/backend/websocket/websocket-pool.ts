import type { CodexWebSocket } from './codex-websocket';

/** Connections open at once in a process, busy and idle together. */
const MAX_CONNECTIONS = 16;

/** An idle connection is closed after this long (the backend ends any connection after 60 minutes). */
const IDLE_TIMEOUT_MS = 5 * 60_000;

/**
 * The process's WebSockets to the backend: at most one idle connection per conversation (its key: the
 * backend URL, the account and the prompt cache key), taken by one request at a time. A request that
 * finds none opens another while the bound allows, closing an idle one of another conversation if it
 * must; when every connection is busy it is told to use SSE.
 */
export class WebSocketPool {
  private readonly idle = new Map<string, { socket: CodexWebSocket; timer: ReturnType<typeof setTimeout> }>();
  /** Connections open or being opened. */
  private count = 0;

  constructor(private readonly maxConnections = MAX_CONNECTIONS) {}

  /** The idle connection of a conversation, now busy; undefined if it has none open. */
  take(key: string): CodexWebSocket | undefined {
    const entry = this.idle.get(key);
    if (entry == null) return undefined;
    this.idle.delete(key);
    clearTimeout(entry.timer);
    if (entry.socket.isOpen) return entry.socket;
    this.count--;
    return undefined;
  }

  /** Counts a connection about to be opened; false when the bound is reached and none is idle. */
  reserve(): boolean {
    if (this.count >= this.maxConnections) {
      const oldest = this.idle.keys().next();
      if (oldest.done) return false;
      this.discard(this.take(oldest.value));
    }
    this.count++;
    return true;
  }

  /** Gives a reserved slot back (the connection could not be opened). */
  unreserve(): void {
    this.count--;
  }

  /** Puts a connection back after its request: idle, kept for the next request of the conversation. */
  release(key: string, socket: CodexWebSocket): void {
    socket.setActive(false);
    if (!socket.isOpen) {
      this.count--;
      return;
    }
    const existing = this.take(key);
    if (existing != null) this.discard(existing);
    const timer = setTimeout(() => this.discard(this.take(key)), IDLE_TIMEOUT_MS);
    (timer as { unref?: () => void }).unref?.();
    this.idle.set(key, { socket, timer });
  }

  /** Closes a connection that is not idle (broken, abandoned mid-response, or refused by the backend). */
  discard(socket: CodexWebSocket | undefined, reason?: unknown): void {
    if (socket == null) return;
    socket.close(reason);
    this.count--;
  }
}

/** The pool every Codex provider of the process shares. */
export const webSocketPool = new WebSocketPool();
