const MAX_SESSIONS = 1000;

/** The header that carries the turn state over SSE, and its key in `client_metadata` over a WebSocket. */
export const TURN_STATE_HEADER = 'x-codex-turn-state';

/**
 * The backend's `x-codex-turn-state`: an opaque token from the first response of a turn that the
 * Codex CLI sends back on every follow-up request of the same turn (tool results), and never on the
 * next turn. The tokens of the turn's later responses are ignored, as the CLI ignores them. Kept per
 * session, for the most recent sessions only.
 */
export class TurnStates {
  private readonly states = new Map<string, string>();

  /** The token to send, when the request continues the turn (it answers tool calls). */
  get(sessionId: string, continuesTurn: boolean): string | undefined {
    if (!continuesTurn) {
      this.states.delete(sessionId);
      return undefined;
    }
    return this.states.get(sessionId);
  }

  /** Remembers the token of a response, if it carried one and is the first of its turn to. */
  set(sessionId: string, responseHeaders: Record<string, string>): void {
    const state = responseHeaders[TURN_STATE_HEADER];
    if (state == null || state === '' || this.states.has(sessionId)) return;
    this.states.set(sessionId, state);
    if (this.states.size > MAX_SESSIONS) {
      const oldest = this.states.keys().next().value;
      if (oldest != null) this.states.delete(oldest);
    }
  }
}
