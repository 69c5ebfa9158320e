export {
  type CodexProxyHandler,
  type CodexProxyOptions,
  createCodexProxy,
  DEFAULT_MAX_BODY_BYTES,
} from './codex-proxy';
export type { CodexProxyLogger } from './proxy-logger';
export {
  type CodexProxyServer,
  DEFAULT_PROXY_HOST,
  DEFAULT_PROXY_PORT,
  isLoopbackHost,
  type ServeCodexProxyOptions,
  serveCodexProxy,
} from './serve-codex-proxy';
