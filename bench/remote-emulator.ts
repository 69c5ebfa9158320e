import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CodexAuthJson, EmulatorCounters, EmulatorLogin, ScriptedResponse } from '../src/testing';
import type { EmulatorRequest } from './emulator-process';

/** The emulator running in a child process, with the few controls the benchmarks need. */
export interface RemoteEmulator {
  url: string;
  baseURL: string;
  tokenURL: string;
  login(options?: { expired?: boolean }): Promise<{ login: EmulatorLogin; authJson: CodexAuthJson }>;
  /** Queues the same answer for the next `times` requests to `/responses`. */
  enqueue(response: ScriptedResponse, times: number): Promise<void>;
  counters(): Promise<EmulatorCounters>;
  /** Bytes of each `/responses` request body (or WebSocket message) since the last reset. */
  requestSizes(): Promise<number[]>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startRemoteEmulator(): Promise<RemoteEmulator> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./emulator-process.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;

  const ready = await new Promise<{ url: string; baseURL: string; tokenURL: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', code =>
      reject(new Error(`The emulator process exited (code ${code}) before it was ready.`)),
    );
    child.on('message', (message: { ready?: never; id: number; result?: unknown; error?: string }) => {
      if (message.ready) return resolve(message.ready);
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.error != null) call?.reject(new Error(message.error));
      else call?.resolve(message.result);
    });
  });
  child.removeAllListeners('exit');

  const call = <T>(request: EmulatorRequest) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, request });
    });

  return {
    ...ready,
    login: options => call({ op: 'login', expired: options?.expired }),
    enqueue: (response, times) => call({ op: 'enqueue', response, times }),
    counters: () => call({ op: 'counters' }),
    requestSizes: () => call({ op: 'requestSizes' }),
    reset: () => call({ op: 'reset' }),
    close: () =>
      new Promise<void>(resolve => {
        if (child.exitCode != null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
