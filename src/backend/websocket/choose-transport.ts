import { InvalidArgumentError } from '@ai-sdk/provider';
import type { CodexModelInfo } from '../models-catalog';
import { canOpenWebSocket } from './codex-websocket';

/** How requests reach the backend: its WebSocket (incremental input), SSE over HTTP, or per model. */
export type CodexTransport = 'auto' | 'websocket' | 'sse';

/** Over the WebSocket, SSE standing in when the upgrade fails (`preferred`) or not (`required`); or SSE (`off`). */
export type WebSocketMode = 'preferred' | 'required' | 'off';

/**
 * Whether a request goes over the WebSocket, and whether SSE may stand in. `auto` does where the model's
 * catalog entry prefers it (`prefer_websockets`), the runtime can open one with headers (Node.js) and no
 * custom `fetch` was given (it would not see the requests); `websocket` asks for it and fails where it
 * cannot be had.
 */
export function webSocketMode({
  transport,
  modelInfo,
  customFetch,
}: {
  transport: CodexTransport;
  modelInfo: CodexModelInfo | undefined;
  customFetch: boolean;
}): WebSocketMode {
  switch (transport) {
    case 'sse':
      return 'off';
    case 'websocket':
      if (!canOpenWebSocket()) {
        throw new InvalidArgumentError({
          argument: 'transport',
          message:
            "transport 'websocket' needs Node.js (browsers and edge runtimes cannot send the credentials on a WebSocket); use 'auto' or 'sse' here.",
        });
      }
      return 'required';
    case 'auto':
      return modelInfo?.preferWebsockets === true && !customFetch && canOpenWebSocket() ? 'preferred' : 'off';
  }
}
