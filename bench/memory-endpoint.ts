import type { Endpoint } from './contenders';

/** A fake JWT carrying the ChatGPT account claim (pi-ai reads the account id from the token). */
export function fakeAccessToken(accountId: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64');
  const claims = { 'https://api.openai.com/auth': { chatgpt_account_id: accountId } };
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

/**
 * An endpoint whose `fetch` answers every request with the chunks set by `serve`, from memory: the
 * benchmark then measures the mapping, not the network.
 */
export function memoryEndpoint(): Endpoint & { serve(chunks: readonly Uint8Array[]): void } {
  let current: readonly Uint8Array[] = [];
  const accountId = 'acct_bench';
  return {
    baseURL: 'http://127.0.0.1:9/backend-api/codex',
    accessToken: fakeAccessToken(accountId),
    accountId,
    serve(chunks) {
      current = chunks;
    },
    fetch: async () => {
      const chunks = current;
      let next = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (next < chunks.length) controller.enqueue(chunks[next++]!);
          else controller.close();
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    },
  };
}
