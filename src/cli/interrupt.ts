let controller: AbortController | undefined;

/**
 * Aborts on the first Ctrl-C (SIGINT), so that a command can close its server and leave no half-written
 * state; `runCli` turns the abort into exit code 130.
 */
export function interruptSignal(): AbortSignal {
  if (controller == null) {
    const created = new AbortController();
    controller = created;
    process.once('SIGINT', () => created.abort(new DOMException('Interrupted', 'AbortError')));
  }
  return controller.signal;
}
