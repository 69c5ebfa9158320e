/**
 * Runs the proxy in its own process, as `serve` does, so that its work and its clients' run side by side as
 * they would on a user's machine; or, as the floor of what it adds, a bare `node:http` server that answers
 * every request at once with one chat chunk. Started by `startServerProcess`, with its settings as JSON in
 * `argv[2]`.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { CodexTransport } from 'ai-sdk-provider-codex';
import { serveCodexProxy } from 'ai-sdk-provider-codex/proxy';

type ServerProcessSettings =
  | {
      kind: 'proxy';
      baseURL: string;
      auth: { accessToken: string; accountId: string };
      transport: CodexTransport;
    }
  | { kind: 'bare' };

export interface ServerProcess {
  url: string;
  close(): Promise<void>;
}

export async function startServerProcess(settings: ServerProcessSettings): Promise<ServerProcess> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(settings)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', code =>
      reject(new Error(`The ${settings.kind} server process exited (code ${code}) before it was ready.`)),
    );
    child.once('message', (message: { url: string }) => resolve(message.url));
  });
  child.removeAllListeners('exit');
  return {
    url,
    close: () =>
      new Promise<void>(resolve => {
        if (child.exitCode != null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** One streamed chat completion chunk with content, then the end: what a client waits for first. */
const BARE_ANSWER = 'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n';

async function serveBare(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.once('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(BARE_ANSWER);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise(resolve => server.close(() => resolve()));
    },
  };
}

if (process.send != null && process.argv[2] != null) {
  const settings = JSON.parse(process.argv[2]) as ServerProcessSettings;
  const server =
    settings.kind === 'bare'
      ? await serveBare()
      : await serveCodexProxy({
          host: '127.0.0.1',
          port: 0,
          codex: { baseURL: settings.baseURL, auth: settings.auth, transport: settings.transport },
          logger: { info() {}, error() {} },
        });
  process.on('disconnect', () => {
    void server.close().then(() => process.exit(0));
  });
  process.send({ url: server.url });
}
