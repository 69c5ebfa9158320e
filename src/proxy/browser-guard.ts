import type { MiddlewareHandler } from 'hono';
import { ProxyError } from './proxy-error';

export type CorsSetting = boolean | { origin: string | string[] } | undefined;

/**
 * Refuses what a web page could make a browser send to the proxy without the user's consent, before anything
 * else looks at the request: a `Host` the proxy is not served under (DNS rebinding), an `Origin` that `cors`
 * does not allow (the page's own origin, on a mounted handler, is allowed), and a request body other than JSON
 * (text, form and multipart bodies need no preflight, so a page could send them to any address).
 */
export function browserGuard(options: {
  isAllowedHost: (host: string | undefined) => boolean;
  cors: CorsSetting;
}): MiddlewareHandler {
  const checkHostAndOrigin = createHostAndOriginCheck(options);
  return async (c, next) => {
    checkHostAndOrigin(c.req.header('host') ?? new URL(c.req.url).host, c.req.header('origin'));
    if (hasBody(c.req.raw) && !isJson(c.req.header('content-type'))) {
      throw new ProxyError({
        message: `The request body must be JSON: send it with Content-Type: application/json${c.req.header('content-type') != null ? `, not "${shorten(c.req.header('content-type') ?? '')}"` : ''}.`,
        status: 415,
        code: 'unsupported_media_type',
      });
    }
    await next();
  };
}

/**
 * Returns the check of a request's `Host` (DNS rebinding) and `Origin` (a web page the `cors` setting does not
 * allow): it throws a 403 `ProxyError` saying how to allow them. WebSocket upgrades pass it too, since a page
 * opens a WebSocket to any address without a preflight.
 */
export function createHostAndOriginCheck({
  isAllowedHost,
  cors,
}: {
  isAllowedHost: (host: string | undefined) => boolean;
  cors: CorsSetting;
}): (host: string, origin: string | undefined) => void {
  const allowedOrigins = cors === true || !cors ? [] : [cors.origin].flat();
  return (host, origin) => {
    if (!isAllowedHost(host)) {
      throw new ProxyError({
        message: `This proxy is not served under the host "${shorten(host)}", so the request was refused (a web page can point its own domain at this machine). If clients reach the proxy by that name, allow it: start serve with --allowed-host ${hostName(host)}, or pass allowedHosts: ['${hostName(host)}'] to createCodexProxy.`,
        status: 403,
        type: 'permission_error',
        code: 'host_not_allowed',
      });
    }
    if (origin != null && cors !== true && !allowedOrigins.includes(origin) && !isSameOrigin(origin, host)) {
      throw new ProxyError({
        message: `Requests from web pages are refused unless allowed, and the origin "${shorten(origin)}" is not. To let that page use the proxy, start serve with --cors ${shorten(origin)}, or pass cors: { origin: '${shorten(origin)}' } to createCodexProxy.`,
        status: 403,
        type: 'permission_error',
        code: 'origin_not_allowed',
      });
    }
  };
}

function isSameOrigin(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Whether the request carries a body: HTTP/1.1 announces one with a length or as chunked. */
function hasBody(request: Request): boolean {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return false;
  const length = request.headers.get('content-length');
  return (
    request.headers.has('content-type') ||
    request.headers.has('transfer-encoding') ||
    (length != null && length !== '0')
  );
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function hostName(host: string): string {
  return shorten(host.replace(/:\d+$/, ''));
}

/** A header value for a message: bounded, so a long one does not fill the answer. */
function shorten(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}
