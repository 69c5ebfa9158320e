/**
 * Copies a response body stream so that it never ends in an error, which a Node server could only report by
 * cutting the connection (and logging the error). When the source fails, the copy ends with the bytes
 * `errorEvent` makes (an error event the client understands), or quietly when `signal` says the client has
 * gone. Cancelling the copy cancels the source, and with it the backend request.
 */
export function endStreamGracefully(
  source: ReadableStream<Uint8Array>,
  { signal, errorEvent }: { signal: AbortSignal; errorEvent: (error: unknown) => Uint8Array },
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        if (!signal.aborted) controller.enqueue(errorEvent(error));
        controller.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
