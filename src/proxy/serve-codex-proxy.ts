import { createServer } from 'node:http';
import { type AddressInfo, isIPv4, isIPv6 } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { InvalidArgumentError } from '@ai-sdk/provider';
import type { ServedAddress } from './allowed-hosts';
import { resolveProxyApiKey } from './api-key';
import { type CodexProxyOptions, createProxyHandler } from './codex-proxy';
import { createNodeHttpFetch } from './node-http-fetch';
import { createNodeRequestListener } from './node-request-listener';

export interface ServeCodexProxyOptions extends CodexProxyOptions {
  /** Address to listen on. Default `127.0.0.1`; any other than loopback needs an API key. */
  host?: string;
  /** Port to listen on; `0` picks a free one. Default 8787. */
  port?: number;
}

export interface CodexProxyServer {
  /** `http://HOST:PORT`, the base of every endpoint (`${url}/v1` for OpenAI clients). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections and ends open ones (streams included). */
  close(): Promise<void>;
}

export const DEFAULT_PROXY_HOST = '127.0.0.1';
export const DEFAULT_PROXY_PORT = 8787;

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIPv4(bare)) return bare.startsWith('127.');
  if (isIPv6(bare)) return bare === '::1' || bare.startsWith('::ffff:127.');
  return false;
}

/**
 * Starts the proxy on a Node.js HTTP server. Refuses an address other than loopback unless an API key is
 * set (`apiKey` or `CODEX_PROXY_API_KEY`): otherwise anyone on the network could use the subscription. On
 * loopback no key is needed: requests must name the listening address and port as `Host`, and web pages are
 * refused unless `cors` allows them.
 */
export async function serveCodexProxy(options: ServeCodexProxyOptions = {}): Promise<CodexProxyServer> {
  const { host = DEFAULT_PROXY_HOST, port = DEFAULT_PROXY_PORT, ...proxyOptions } = options;
  const apiKey = resolveProxyApiKey(proxyOptions.apiKey);
  if (!isLoopbackHost(host) && apiKey == null) {
    throw new InvalidArgumentError({
      argument: 'host',
      message: `Refusing to listen on ${host} without an API key: anyone who can reach it could use your ChatGPT subscription. Set one with --api-key or CODEX_PROXY_API_KEY, or listen on 127.0.0.1.`,
    });
  }

  let served: ServedAddress | undefined;
  const handler = createProxyHandler(
    { allowUnauthenticated: isLoopbackHost(host), ...proxyOptions, apiKey },
    // A Node.js server: backend HTTP requests go over node:http, which costs less than the built-in fetch.
    { served: () => served, httpFetch: createNodeHttpFetch() },
  );
  const server = createServer(createNodeRequestListener(handler));
  server.on('upgrade', handler.webSockets.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  served = { names: servedNames(address.address), port: address.port };
  const urlHost = isIPv6(address.address) ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(error => (error != null ? reject(error) : resolve()));
        server.closeAllConnections();
        handler.webSockets.close();
      }),
  };
}

/** The names a server listening on `address` is reached by: that address, or every one of this machine's. */
function servedNames(address: string): string[] {
  if (address !== '0.0.0.0' && address !== '::') return [address];
  const addresses = Object.values(networkInterfaces())
    .flat()
    .flatMap(entry => (entry != null ? [entry.address] : []));
  return [hostname(), ...addresses];
}
