import { createRedactor, redactHeaders } from './redact';

/** Where the proxy writes its log lines. `console` fits. */
export interface CodexProxyLogger {
  info(message: string): void;
  error(message: string): void;
}

/** What a request handler reports about one request; lines only appear with `verbose`. */
export interface RequestLog {
  /** The request body as received (redacted and shortened before it is written). */
  body(text: string): void;
  /** A remark about the request, e.g. parameters dropped or warnings of the model. */
  note(message: string): void;
}

const MAX_BODY_CHARS = 2000;

/**
 * Writes the proxy's log lines, every one passed through the redactor first: the proxy key and anything
 * token-shaped never reach the log. Without `verbose`, only failures of the proxy itself (5xx) are written.
 */
export function createProxyLog({
  logger,
  verbose,
  secrets,
}: {
  logger: CodexProxyLogger;
  verbose: boolean;
  secrets: Array<string | undefined>;
}) {
  const redact = createRedactor(secrets);
  const info = (message: string) => logger.info(redact(message));
  const error = (message: string) => logger.error(redact(message));

  return {
    verbose,
    error,
    request(request: Request): RequestLog {
      const { pathname, search } = new URL(request.url);
      if (verbose) {
        info(
          `→ ${request.method} ${pathname}${search} headers=${JSON.stringify(redactHeaders(request.headers))}`,
        );
      }
      return {
        body(text) {
          if (!verbose) return;
          const shown =
            text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}… (${text.length} chars)` : text;
          info(`  body=${shown}`);
        },
        note(message) {
          if (verbose) info(`  ${message}`);
        },
      };
    },
    response(request: Request, status: number, elapsedMs: number, detail?: string) {
      const { pathname } = new URL(request.url);
      const line = `← ${request.method} ${pathname} ${status} in ${elapsedMs} ms${detail != null ? `: ${detail}` : ''}`;
      if (status >= 500) error(line);
      else if (verbose) info(line);
    },
  };
}

export type ProxyLog = ReturnType<typeof createProxyLog>;
