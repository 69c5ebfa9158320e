import { z } from 'zod/v4';

/**
 * A request field the proxy sends upstream as a header (`prompt_cache_key` becomes `session-id`): header
 * values are printable ASCII, and anything else would fail the upstream request after the work was done.
 */
export const headerValueSchema = z
  .string()
  .regex(/^[\x20-\x7e]*$/, 'must be printable ASCII without line breaks, as it is sent as a header');
