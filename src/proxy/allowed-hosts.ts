import { InvalidArgumentError } from '@ai-sdk/provider';

/** The names every proxy answers to: a client on this machine reaching it through loopback. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Where a proxy listens, when it knows: `serve` does, a handler mounted in an app does not. */
export interface ServedAddress {
  /** Names and addresses that reach it besides loopback, e.g. the address it listens on. */
  names: string[];
  port: number;
}

/**
 * Returns the check of a request's `Host` header. A web page that rebinds its own domain to 127.0.0.1 sends
 * that domain as `Host`, so only names the proxy is reached by pass: loopback (on the served port, when known),
 * the served address, and the hosts the user allows (`.example.com` also matches its subdomains; a name with a
 * port only that port). `true` allows any host.
 */
export function createHostCheck({
  allowedHosts,
  served,
}: {
  allowedHosts: readonly string[] | true;
  served: () => ServedAddress | undefined;
}): (host: string | undefined) => boolean {
  if (allowedHosts === true) return () => true;
  const allowed = allowedHosts.map(parseAllowedHost);
  return header => {
    const host = parseHost(header);
    if (host == null) return false;
    const address = served();
    if (
      (address == null || host.port === String(address.port)) &&
      [...LOOPBACK_NAMES, ...(address?.names ?? []).map(bracketIPv6)].includes(host.name)
    ) {
      return true;
    }
    return allowed.some(
      entry =>
        (entry.port == null || entry.port === host.port) &&
        (entry.name === host.name || (entry.subdomains && host.name.endsWith(`.${entry.name}`))),
    );
  };
}

/** `name[:port]` as URLs read it (lower case, IPv6 in brackets, port 80 implied), without a trailing dot. */
function parseHost(value: string | undefined): { name: string; port: string } | undefined {
  if (value == null || value === '' || /[/?#@\\\s]/.test(value)) return undefined;
  try {
    const url = new URL(`http://${value}`);
    return { name: url.hostname.replace(/\.$/, ''), port: url.port || '80' };
  } catch {
    return undefined;
  }
}

function parseAllowedHost(entry: string): { name: string; port?: string; subdomains: boolean } {
  const subdomains = entry.startsWith('.');
  const host = parseHost(subdomains ? entry.slice(1) : entry);
  if (host == null) {
    throw new InvalidArgumentError({
      argument: 'allowedHosts',
      message: `"${entry}" is not a host name: give names such as "proxy.example.com", "proxy.lan:8787" or ".example.com" (with subdomains).`,
    });
  }
  return { name: host.name, port: /:\d+$/.test(entry) ? host.port : undefined, subdomains };
}

function bracketIPv6(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address.toLowerCase();
}
