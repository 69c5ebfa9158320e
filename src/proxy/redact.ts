const REDACTED = '[redacted]';

/** Headers whose values are credentials or identify the account. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'cookie',
  'set-cookie',
  'chatgpt-account-id',
]);

/** Token shapes that must never reach a log, whatever field they hide in. */
const SECRET_PATTERNS = [
  /\bBearer\s+[^\s"',]+/gi,
  /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g,
  // Refresh tokens of ChatGPT logins are `rt_…`; API keys `sk-…`.
  /\b(?:sk|rt|sess)[-_][\w-]{8,}/g,
];

/**
 * Makes a function that removes secrets from text bound for a log: the literal values given (the proxy key),
 * bearer tokens, JWTs (ChatGPT access and id tokens) and API-key-shaped strings.
 */
export function createRedactor(secrets: Array<string | undefined>): (text: string) => string {
  const literals = secrets.filter((secret): secret is string => secret != null && secret.length > 0);
  return text => {
    let result = text;
    for (const literal of literals) result = result.split(literal).join(REDACTED);
    for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, REDACTED);
    return result;
  };
}

/** The headers as a plain object for a log line, with credential headers replaced. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    result[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  });
  return result;
}
