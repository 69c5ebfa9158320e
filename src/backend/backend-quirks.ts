/**
 * What this process has learned about the backend's rules, per base URL. The rules drift: when the
 * backend rejects a parameter it used to accept, or starts requiring `instructions`, the provider
 * adapts once and remembers it, so later calls do not fail first.
 */
export type BackendQuirks = {
  /** Body parameters (dotted paths, e.g. `reasoning.summary`) the backend answered `Unsupported parameter` to. */
  readonly unsupportedParameters: Set<string>;
  /** Whether the backend answered `Instructions are required`. */
  instructionsRequired: boolean;
};

const quirksByBaseURL = new Map<string, BackendQuirks>();

export function getBackendQuirks(baseURL: string): BackendQuirks {
  let quirks = quirksByBaseURL.get(baseURL);
  if (quirks == null) {
    quirks = { unsupportedParameters: new Set(), instructionsRequired: false };
    quirksByBaseURL.set(baseURL, quirks);
  }
  return quirks;
}

/** Removes a dotted-path parameter from a request body. Returns whether it was present. */
export function removeParameter(body: Record<string, unknown>, path: string): boolean {
  const keys = path.split('.');
  let target: unknown = body;
  for (const key of keys.slice(0, -1)) {
    target = (target as Record<string, unknown> | undefined)?.[key];
    if (typeof target !== 'object' || target === null) return false;
  }
  const record = target as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (!(last in record)) return false;
  delete record[last];
  return true;
}
