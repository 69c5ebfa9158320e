import { createCodex } from 'ai-sdk-provider-codex';
import { respondToChat } from '@/lib/chat';
import { sharedStoreAuth, upstashFromEnv } from '@/lib/shared-store';

// The edge runtime has no file system, keychain or TCP sockets: credentials come from Upstash over REST.
export const runtime = 'edge';

const upstash = upstashFromEnv();
const codex = upstash != null ? createCodex({ auth: sharedStoreAuth(upstash) }) : undefined;

export async function POST(request: Request) {
  if (codex == null) {
    return Response.json(
      {
        error:
          'This edge route reads the login from Upstash Redis over REST: set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (or KV_REST_API_URL and KV_REST_API_TOKEN), and upload the login with `npx ai-sdk-provider-codex upload`.',
      },
      { status: 503 },
    );
  }
  return respondToChat(request, codex(process.env.CODEX_MODEL || 'gpt-5.5'));
}
