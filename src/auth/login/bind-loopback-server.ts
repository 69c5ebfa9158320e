import { createServer, type RequestListener, type Server } from 'node:http';
import { CodexLoginError } from './codex-login-error';

/** The callback ports on the OAuth client's redirect allow-list. */
export const DEFAULT_CALLBACK_PORT = 1455;
export const FALLBACK_CALLBACK_PORT = 1457;

/**
 * The ports to try for a requested callback port: 1455 then 1457 by default, as the Codex CLI; a port the
 * user chose is tried alone, since no other redirect URI would be expected.
 */
export function callbackPorts(requested?: number): { port: number; fallbackPort?: number } {
  const port = requested ?? DEFAULT_CALLBACK_PORT;
  return port === DEFAULT_CALLBACK_PORT ? { port, fallbackPort: FALLBACK_CALLBACK_PORT } : { port };
}

/**
 * Listens on `127.0.0.1:port` the way the Codex CLI does when the port is busy: ask the login server
 * that may hold it to stop (`GET /cancel`, once), retry `attempts` times `retryDelayMs` apart, then move to
 * `fallbackPort` (when given) and try that the same number of times.
 */
export async function bindLoopbackServer({
  port,
  fallbackPort,
  listener,
  attempts = 10,
  retryDelayMs = 200,
}: {
  port: number;
  fallbackPort?: number;
  listener: RequestListener;
  attempts?: number;
  retryDelayMs?: number;
}): Promise<{ server: Server; port: number }> {
  let cancelSent = false;
  for (const candidate of fallbackPort == null ? [port] : [port, fallbackPort]) {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const server = createServer(listener);
      try {
        return { server, port: await listen(server, candidate) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
          throw error;
        }
      }
      if (!cancelSent && candidate === port) {
        cancelSent = true;
        await cancelPreviousLoginServer(port);
      }
      if (attempt < attempts) {
        await new Promise(resolve => setTimeout(resolve, retryDelayMs));
      }
    }
  }
  const ports = fallbackPort == null ? `${port}` : `${port} and ${fallbackPort}`;
  throw new CodexLoginError({
    reason: 'port-in-use',
    message:
      `Port ${ports} on 127.0.0.1 ${fallbackPort == null ? 'is' : 'are'} in use, so the sign-in callback cannot be received. ` +
      'Stop the program holding it, or use `login --device` on a machine without a free callback port.',
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address != null ? address.port : port);
    });
  });
}

/** An earlier login (ours or the Codex CLI's) may still hold the port; both stop on `GET /cancel`. */
async function cancelPreviousLoginServer(port: number): Promise<void> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/cancel`, {
      signal: AbortSignal.timeout(2_000),
      headers: { connection: 'close' },
    });
    await response.body?.cancel();
  } catch {
    // Whatever holds the port is not a login server that answers; the retries decide.
  }
}
