import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindLoopbackServer, callbackPorts } from '../src/auth/login/bind-loopback-server';
import { startCallbackServer } from '../src/auth/login/callback-server';
import { CodexLoginError } from '../src/auth/login/codex-login-error';
import { launchChromium } from './support/chromium';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map(cleanup => cleanup()));
});

/** Holds a loopback port with something that is not a login server (it never answers HTTP). */
async function occupyPort(): Promise<number> {
  const server: Server = createServer(socket => socket.destroy());
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise(resolve => server.close(resolve)));
  const address = server.address();
  if (address == null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('bindLoopbackServer (the 1455 → 1457 fallback)', () => {
  it('tries 1455 then 1457 by default, and a chosen port alone', () => {
    expect(callbackPorts()).toEqual({ port: 1455, fallbackPort: 1457 });
    expect(callbackPorts(1455)).toEqual({ port: 1455, fallbackPort: 1457 });
    expect(callbackPorts(8080)).toEqual({ port: 8080 });
  });

  it('moves to the fallback port when the preferred one stays busy', async () => {
    const busy = await occupyPort();
    const bound = await bindLoopbackServer({
      port: busy,
      fallbackPort: 0,
      listener: (_, response) => response.end('ok'),
      attempts: 3,
      retryDelayMs: 10,
    });
    cleanups.push(() => new Promise(resolve => bound.server.close(resolve)));
    expect(bound.port).not.toBe(busy);
    expect(await (await fetch(`http://127.0.0.1:${bound.port}/`)).text()).toBe('ok');
  });

  it('fails with a clear error when the port (and its fallback) are taken', async () => {
    const busy = await occupyPort();
    const otherBusy = await occupyPort();
    const error = await bindLoopbackServer({
      port: busy,
      fallbackPort: otherBusy,
      listener: () => {},
      attempts: 2,
      retryDelayMs: 10,
    }).catch((e: unknown) => e);
    expect(CodexLoginError.isInstance(error) && error.reason).toBe('port-in-use');
    expect((error as Error).message).toContain(`Port ${busy} and ${otherBusy}`);
  });

  it('takes the port over from an earlier login server, which ends with "cancelled"', async () => {
    const first = await startCallbackServer({ port: 0, state: 's1', complete: async () => 'never' });
    cleanups.push(() => first.close());
    const second = await startCallbackServer({
      port: first.port,
      fallbackPort: 0,
      state: 's2',
      complete: async () => 'never',
      bindRetryDelayMs: 20,
    });
    cleanups.push(() => second.close());

    const outcome = await first.result.catch((e: unknown) => e);
    expect(CodexLoginError.isInstance(outcome) && outcome.reason).toBe('cancelled');
    expect(second.port).toBe(first.port);
  });
});

describe('startCallbackServer', () => {
  it('ignores a callback with a foreign state, then completes, redirects to /success and serves it', async () => {
    const codes: string[] = [];
    const server = await startCallbackServer({
      port: 0,
      state: 'right-state',
      complete: async (code, redirectUri) => {
        codes.push(code);
        expect(redirectUri).toBe(`http://localhost:${server.port}/auth/callback`);
        return 'tokens';
      },
    });
    cleanups.push(() => server.close());
    const base = `http://127.0.0.1:${server.port}`;

    const forged = await fetch(`${base}/auth/callback?code=evil&state=wrong`);
    expect(forged.status).toBe(400);
    expect(codes).toEqual([]);

    const callback = await fetch(`${base}/auth/callback?code=good&state=right-state`, { redirect: 'manual' });
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/success');
    const success = await fetch(`${base}/success`);
    expect(await success.text()).toContain('Signed in');
    await expect(server.result).resolves.toBe('tokens');
    expect(codes).toEqual(['good']);
  });

  it('shows the error in the browser (escaped) and ends the login with it', async () => {
    const server = await startCallbackServer({ port: 0, state: 's', complete: async () => 'unused' });
    cleanups.push(() => server.close());
    const page = await fetch(
      `http://127.0.0.1:${server.port}/auth/callback?state=s&error=access_denied&error_description=${encodeURIComponent('<b>no</b>')}`,
    );
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('Sign-in failed: &lt;b&gt;no&lt;/b&gt;');
    const outcome = await server.result.catch((e: unknown) => e);
    expect(CodexLoginError.isInstance(outcome) && outcome.reason).toBe('oauth-error');
  });
});

describe('/cancel is for other logins on this machine, not for web pages', () => {
  /** A raw HTTP request, so that the test sets `Host` as a browser on a rebound name would. */
  function send(port: number, method: string, headers: Record<string, string>, body?: string) {
    return new Promise<number>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/cancel', method, headers }, response => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  it('refuses cross-site GETs, simple POSTs and rebound hosts, and still ends on a local program’s GET', async () => {
    const server = await startCallbackServer({ port: 0, state: 's', complete: async () => 'never' });
    cleanups.push(() => server.close());
    let settled = false;
    server.result
      .catch(() => {})
      .finally(() => {
        settled = true;
      });
    const local = `127.0.0.1:${server.port}`;

    // An <img> or link on another site: the browser says so in Sec-Fetch-Site.
    expect(
      await send(server.port, 'GET', {
        host: local,
        'sec-fetch-site': 'cross-site',
        'sec-fetch-dest': 'image',
      }),
    ).toBe(403);
    // fetch() from a page, or a page on the same site but another port.
    expect(await send(server.port, 'GET', { host: local, origin: 'https://evil.example' })).toBe(403);
    expect(await send(server.port, 'GET', { host: local, 'sec-fetch-site': 'same-site' })).toBe(403);
    // DNS rebinding: the browser believes it talks to the page's own host.
    expect(
      await send(server.port, 'GET', {
        host: `evil.example:${server.port}`,
        'sec-fetch-site': 'same-origin',
      }),
    ).toBe(403);
    expect(await send(server.port, 'GET', { host: `evil.example:${server.port}` })).toBe(403);
    // A form's simple POST.
    expect(
      await send(server.port, 'POST', { host: local, origin: 'null', 'content-type': 'text/plain' }, 'x'),
    ).toBe(404);
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(settled).toBe(false);

    expect(await send(server.port, 'GET', { host: local })).toBe(200);
    const outcome = await server.result.catch((e: unknown) => e);
    expect(CodexLoginError.isInstance(outcome) && outcome.reason).toBe('cancelled');
  });

  it('is not triggered by a page Chromium loads from another origin', async () => {
    const server = await startCallbackServer({ port: 0, state: 's', complete: async () => 'never' });
    cleanups.push(() => server.close());
    let settled = false;
    server.result
      .catch(() => {})
      .finally(() => {
        settled = true;
      });
    const target = `http://localhost:${server.port}/cancel`;
    // The attacker's page: an image, a no-cors fetch, and a form POST, all aimed at /cancel.
    const page = createHttpServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><img src="${target}">
<form id="f" method="POST" action="${target}" enctype="text/plain"><input name="a" value="b"></form>
<script>fetch(${JSON.stringify(target)}, { mode: 'no-cors' }).finally(() => document.getElementById('f').submit());</script>`);
    });
    await new Promise<void>(resolve => page.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise(resolve => page.close(resolve)));
    const profile = await mkdtemp(join(tmpdir(), 'chromium-cancel-'));
    const browser = await launchChromium(profile);
    cleanups.push(async () => {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    });

    const tab = await browser.newPage();
    const answered: number[] = [];
    tab.on('response', response => {
      if (response.url().startsWith(target)) answered.push(response.status());
    });
    await tab.goto(`http://127.0.0.1:${(page.address() as { port: number }).port}/`);
    await tab.waitForURL(target, { timeout: 10_000 });
    await new Promise(resolve => setTimeout(resolve, 300));

    expect(answered.length).toBeGreaterThanOrEqual(2);
    expect(answered.every(status => status === 403 || status === 404)).toBe(true);
    expect(settled).toBe(false);
  }, 60_000);
});
