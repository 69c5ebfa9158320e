/**
 * Runs the proxy in its own process, as `serve` does, so that its work and its clients' run side by side as
 * they would on a user's machine. Started by `startProxyProcess`, with its settings as JSON in `argv[2]`.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CodexTransport } from 'ai-sdk-provider-codex';
import { serveCodexProxy } from 'ai-sdk-provider-codex/proxy';

interface ProxyProcessSettings {
  baseURL: string;
  auth: { accessToken: string; accountId: string };
  transport: CodexTransport;
}

export interface ProxyProcess {
  url: string;
  close(): Promise<void>;
}

export async function startProxyProcess(settings: ProxyProcessSettings): Promise<ProxyProcess> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(settings)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', code =>
      reject(new Error(`The proxy process exited (code ${code}) before it was ready.`)),
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

if (process.send != null && process.argv[2] != null) {
  const { baseURL, auth, transport } = JSON.parse(process.argv[2]) as ProxyProcessSettings;
  const server = await serveCodexProxy({
    host: '127.0.0.1',
    port: 0,
    codex: { baseURL, auth, transport },
    logger: { info() {}, error() {} },
  });
  process.on('disconnect', () => {
    void server.close().then(() => process.exit(0));
  });
  process.send({ url: server.url });
}
