const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Whether a request to the login server comes from a program on this machine (a newer login taking the port
 * over: this package's or the Codex CLI's plain `GET /cancel`) rather than from a web page. Any page can make
 * the browser send a GET or a simple POST to localhost (an image, a form, a rebound DNS name), but the browser
 * then names the page in `Origin` or `Sec-Fetch-Site`, or the page's host in `Host`.
 */
export function isLocalProgramRequest(headers: Headers, port: number): boolean {
  const host = headers.get('host')?.toLowerCase();
  if (host == null || !LOOPBACK_HOSTS.some(name => host === `${name}:${port}`)) return false;
  if (headers.has('origin')) return false;
  // `none`: typed into the address bar by the user; anything else was sent on a page's behalf.
  const site = headers.get('sec-fetch-site');
  return site == null || site === 'none';
}
