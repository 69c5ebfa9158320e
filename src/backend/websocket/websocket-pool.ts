import type { CodexWebSocket } from './codex-websocket';

/** Connections open at once in a process, busy and idle together. */
const MAX_CONNECTIONS = 16;

/** An idle connection is closed after this long (the backend ends any connection after 60 minutes). */
const IDLE_TIMEOUT_MS = 5 * 60_000;

interface IdleConnection {
  key: string;
  socket: CodexWebSocket;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The process's WebSockets to the backend, kept idle between the requests of a conversation (its key: the
 * backend URL and the upgrade's headers, the account and the prompt cache key among them) and taken by one
 * request at a time. Calls of one conversation made at once (a proxy's clients sending the same prompt) each
 * get a connection, and each is kept for the next call: closing all but one would make the next burst open
 * them again. A request that finds none idle opens another while the bound allows, closing the longest idle
 * one if it must; when every connection is busy it is told to use SSE.
 */
export class WebSocketPool {
  /** Idle connections, longest idle first. */
  private readonly idle: IdleConnection[] = [];
  /** Connections open or being opened. */
  private count = 0;

  constructor(private readonly maxConnections = MAX_CONNECTIONS) {}

  /** The conversation's most recently used idle connection, now busy; undefined if it has none open. */
  take(key: string): CodexWebSocket | undefined {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const entry = this.idle[i]!;
      if (entry.key !== key) continue;
      this.idle.splice(i, 1);
      clearTimeout(entry.timer);
      if (entry.socket.isOpen) return entry.socket;
      this.count--;
    }
    return undefined;
  }

  /** Counts a connection about to be opened; false when the bound is reached and none is idle. */
  reserve(): boolean {
    if (this.count >= this.maxConnections) {
      const longestIdle = this.idle.shift();
      if (longestIdle == null) return false;
      clearTimeout(longestIdle.timer);
      this.discard(longestIdle.socket);
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
    const entry: IdleConnection = {
      key,
      socket,
      timer: setTimeout(() => {
        const index = this.idle.indexOf(entry);
        if (index === -1) return;
        this.idle.splice(index, 1);
        this.discard(socket);
      }, IDLE_TIMEOUT_MS),
    };
    (entry.timer as { unref?: () => void }).unref?.();
    this.idle.push(entry);
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
