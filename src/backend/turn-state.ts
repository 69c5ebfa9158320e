const MAX_SESSIONS = 1000;

/**
 * The backend's `x-codex-turn-state`: an opaque token from the first response of a turn that the
 * Codex CLI sends back on every follow-up request of the same turn (tool results), and never on the
 * next turn. Kept per session, for the most recent sessions only.
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

  /** Remembers the token of a response, if it carried one. */
  set(sessionId: string, responseHeaders: Record<string, string>): void {
    const state = responseHeaders['x-codex-turn-state'];
    if (state == null || state === '') return;
    this.states.delete(sessionId);
    this.states.set(sessionId, state);
    if (this.states.size > MAX_SESSIONS) {
      const oldest = this.states.keys().next().value;
      if (oldest != null) this.states.delete(oldest);
    }
  }
}
