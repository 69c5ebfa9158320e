import { z } from 'zod/v4';
import { TURN_STATE_HEADER } from '../turn-state';

const responseMetadataMessageSchema = z.looseObject({
  headers: z.looseObject({ [TURN_STATE_HEADER]: z.string().nullish() }).nullish(),
});

/**
 * The turn-state header an SSE answer would have carried, from the `response.metadata` message the
 * backend sends over a WebSocket instead: the turn state is then kept and sent back as over SSE.
 */
export function turnStateHeadersOf(message: unknown): Record<string, string> {
  const parsed = responseMetadataMessageSchema.safeParse(message);
  const state = parsed.success ? parsed.data.headers?.[TURN_STATE_HEADER] : undefined;
  return state != null && state !== '' ? { [TURN_STATE_HEADER]: state } : {};
}
