import { safeParseJSON } from '@ai-sdk/provider-utils';
import type { z } from 'zod/v4';
import { checkJsonLimits } from './check-json-limits';
import { ProxyError } from './proxy-error';
import type { RequestLog } from './proxy-logger';

/**
 * Reads and validates a JSON request body. Bodies over the proxy's JSON limits, malformed JSON and bodies that
 * do not match the schema get a 400 naming the offending parameter, as OpenAI's API does.
 */
export async function readJsonBody<SCHEMA extends z.ZodType>(
  request: Request,
  schema: SCHEMA,
  log?: RequestLog,
): Promise<z.infer<SCHEMA>> {
  const text = await request.text();
  // Before parsing: the limits bound what parsing, validating and converting the body may cost.
  checkJsonLimits(text);
  log?.body(text);
  const json = await safeParseJSON({ text });
  if (!json.success) {
    throw new ProxyError({
      message: 'The request body is not valid JSON. Send a JSON object with Content-Type: application/json.',
    });
  }
  return validateJsonBody(json.value, schema);
}

/** Validates a parsed request body (or WebSocket message); a mismatch is a 400 naming the parameter. */
export function validateJsonBody<SCHEMA extends z.ZodType>(value: unknown, schema: SCHEMA): z.infer<SCHEMA> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.length ? formatPath(issue.path) : null;
    throw new ProxyError({
      message:
        param != null
          ? `Invalid value for '${param}': ${issue?.message}.`
          : `Invalid request: ${issue?.message}.`,
      param,
    });
  }
  return parsed.data;
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index > 0 ? '.' : ''}${String(segment)}`,
    )
    .join('');
}
