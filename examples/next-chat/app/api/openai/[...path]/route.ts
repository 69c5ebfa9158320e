import { createCodexProxy } from 'ai-sdk-provider-codex/proxy';
import { auth } from '@/lib/codex-auth';

/**
 * An OpenAI-compatible endpoint for other tools: `/api/openai/v1/chat/completions`, `/api/openai/v1/responses`,
 * `/api/openai/v1/models`. It spends your subscription, so it only runs with a key: clients send
 * `Authorization: Bearer $CODEX_PROXY_API_KEY`. It answers requests for localhost; a deployment lists its own
 * domains in `CODEX_PROXY_ALLOWED_HOSTS` (comma-separated, e.g. `chat.example.com,.vercel.app`).
 */
const apiKey = process.env.CODEX_PROXY_API_KEY;
const proxy = apiKey
  ? createCodexProxy({
      basePath: '/api/openai',
      apiKey,
      allowedHosts: process.env.CODEX_PROXY_ALLOWED_HOSTS?.split(',').map(host => host.trim()) ?? [],
      codex: { auth },
    })
  : undefined;

async function handle(request: Request): Promise<Response> {
  if (proxy == null) {
    return Response.json(
      {
        error: {
          message:
            'The proxy route is off: set CODEX_PROXY_API_KEY to a secret that clients will send as their API key.',
          type: 'invalid_request_error',
          code: 'proxy_disabled',
        },
      },
      { status: 503 },
    );
  }
  return proxy(request);
}

export { handle as GET, handle as POST };
