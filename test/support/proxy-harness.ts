import { type CodexProxyServer, type ServeCodexProxyOptions, serveCodexProxy } from '../../src/proxy';
import {
  type CodexEmulator,
  type CodexEmulatorOptions,
  type EmulatorLogin,
  startCodexEmulator,
} from '../../src/testing';
import { type RequestCounter, startRequestCounter } from './request-counter';

/** The key the proxies of these tests require. */
export const PROXY_API_KEY = 'proxy-test-key-7f3c9a1e5b';

export interface ProxyOverEmulator {
  emulator: CodexEmulator;
  login: EmulatorLogin;
  proxy: CodexProxyServer;
  /** The relay between the proxy and the emulator, with `countRequests`: its requests still open. */
  relay?: RequestCounter;
  /** `${proxy.url}/v1`: the base URL OpenAI clients take. */
  baseURL: string;
  /** Every line the proxy logged. */
  logLines: string[];
  close(): Promise<void>;
}

/**
 * Starts the emulator, logs in, and serves the proxy on a random loopback port in front of it, with the
 * emulator's tokens as its credentials and {@link PROXY_API_KEY} as its key. With `countRequests`, the
 * proxy reaches the emulator over SSE through a {@link RequestCounter}, so a test can see upstream requests
 * closed.
 */
export async function startProxyOverEmulator(
  options: {
    proxy?: Partial<ServeCodexProxyOptions>;
    emulator?: CodexEmulatorOptions;
    countRequests?: boolean;
  } = {},
): Promise<ProxyOverEmulator> {
  const emulator = await startCodexEmulator(options.emulator);
  const relay = options.countRequests ? await startRequestCounter(emulator.url) : undefined;
  const login = await emulator.login();
  const logLines: string[] = [];
  const proxy = await serveCodexProxy({
    host: '127.0.0.1',
    port: 0,
    apiKey: PROXY_API_KEY,
    logger: { info: line => logLines.push(line), error: line => logLines.push(line) },
    ...options.proxy,
    codex: {
      baseURL: relay != null ? `${relay.url}/backend-api/codex` : emulator.baseURL,
      auth: { accessToken: login.accessToken, accountId: login.accountId },
      // The relay counts HTTP requests and passes no WebSocket upgrades, which would each wait for the fallback.
      ...(relay != null ? { transport: 'sse' as const } : {}),
      ...options.proxy?.codex,
    },
  });
  return {
    emulator,
    login,
    proxy,
    relay,
    baseURL: `${proxy.url}/v1`,
    logLines,
    async close() {
      await proxy.close();
      await relay?.close();
      await emulator.close();
    },
  };
}
