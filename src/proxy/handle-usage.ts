import type { CodexAccountUsage } from '../backend/usage-limit-tracker';

/**
 * `GET /v1/usage`: the subscription's usage limits as the backend reported them on its last answer, per
 * account, and the limits found used up with their reset times, so that an agent can pace itself. Makes
 * no request to the backend.
 */
export function handleUsage(usageLimits: () => CodexAccountUsage[]): Response {
  return Response.json({ object: 'codex.usage', accounts: usageLimits() });
}
