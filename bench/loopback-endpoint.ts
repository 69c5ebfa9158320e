import type { FetchFunction } from '@ai-sdk/provider-utils';
import type { Endpoint } from './contenders';

// Captured before any contender swaps the global (pi-ai calls the global fetch).
const realFetch = globalThis.fetch;

/**
 * An endpoint on the emulator whose `fetch` notes when each chunk of the response body arrives from
 * the socket, so the time a contender adds after the bytes arrived can be told apart from the network.
 */
export function loopbackEndpoint(target: {
  baseURL: string;
  accessToken: string;
  accountId: string;
}): Endpoint & {
  lastArrival: number;
} {
  const endpoint = {
    ...target,
    lastArrival: 0,
    fetch: (async (input, init) => {
      const response = await realFetch(input, init);
      if (response.body == null) return response;
      const body = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            endpoint.lastArrival = performance.now();
            controller.enqueue(chunk);
          },
        }),
      );
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }) as FetchFunction,
  };
  return endpoint;
}
