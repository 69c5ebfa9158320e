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
 * token-shaped never reach the log. Control characters are escaped, so that text from a request (a body, a
 * model name in an error) cannot start a line of its own or move the terminal's cursor. Without `verbose`,
 * only failures of the proxy itself (5xx) are written.
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
  const info = (message: string) => logger.info(escapeControlCharacters(redact(message)));
  const error = (message: string) => logger.error(escapeControlCharacters(redact(message)));

  return {
    verbose,
    info,
    error,
    request(request: Request): RequestLog {
      if (verbose) {
        const { pathname, search } = new URL(request.url);
        info(
          `→ ${request.method} ${pathname}${search} headers=${JSON.stringify(redactHeaders(request.headers))}`,
        );
      }
      return {
        body(text) {
          if (!verbose) return;
          // Redacted whole before it is cut: a secret straddling the cut would not match and show its start.
          const redacted = redact(text);
          const shown =
            redacted.length > MAX_BODY_CHARS
              ? `${redacted.slice(0, MAX_BODY_CHARS)}… (${text.length} chars)`
              : redacted;
          info(`  body=${shown}`);
        },
        note(message) {
          if (verbose) info(`  ${message}`);
        },
      };
    },
    response(request: Request, status: number, elapsedMs: number, detail?: string) {
      if (status < 500 && !verbose) return;
      const { pathname } = new URL(request.url);
      const line = `← ${request.method} ${pathname} ${status} in ${elapsedMs} ms${detail != null ? `: ${detail}` : ''}`;
      if (status >= 500) error(line);
      else info(line);
    },
  };
}

export type ProxyLog = ReturnType<typeof createProxyLog>;

/** C0 and C1 controls, DEL, and the line and paragraph separators that some viewers break lines at. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `\n` for a line feed, `\u001b` for an escape, and so on: visible, and never a line break. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, char => {
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
