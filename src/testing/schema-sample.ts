import { sampleFromPattern } from './sample-pattern';

type Schema = Record<string, unknown>;

const MAX_DEPTH = 12;

/**
 * A small value that satisfies a JSON Schema (the subset structured outputs use: objects, arrays,
 * scalars, enums, const, anyOf/oneOf/allOf, local `$ref`s), so the default answer to a request with
 * `text.format.type = "json_schema"` parses and validates.
 */
export function sampleFromSchema(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > MAX_DEPTH) return null;
  const s = schema as Schema;

  if (typeof s.$ref === 'string') return sampleFromSchema(resolveRef(s.$ref, root), root, depth + 1);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key];
    if (Array.isArray(options) && options.length > 0) {
      const nonNull = options.find(o => (o as Schema)?.type !== 'null') ?? options[0];
      return sampleFromSchema(nonNull, root, depth + 1);
    }
  }
  if (Array.isArray(s.allOf)) {
    let merged: unknown = {};
    for (const part of s.allOf) {
      const value = sampleFromSchema(part, root, depth + 1);
      merged = isPlainObject(merged) && isPlainObject(value) ? Object.assign(merged, value) : value;
    }
    return merged;
  }

  const type = Array.isArray(s.type) ? (s.type.find(t => t !== 'null') ?? s.type[0]) : s.type;
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [
          name,
          sampleFromSchema(property, root, depth + 1),
        ]),
      );
    }
    case 'array': {
      const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : [];
      // Deep down (recursive schemas), arrays stay as short as allowed so the sample ends.
      const preferred = depth > MAX_DEPTH / 2 ? 0 : 1;
      const min = typeof s.minItems === 'number' ? s.minItems : 0;
      const max = typeof s.maxItems === 'number' ? s.maxItems : Number.POSITIVE_INFINITY;
      const count = Math.max(tuple.length, Math.min(Math.max(preferred, min), max));
      return Array.from({ length: count }, (_, index) =>
        sampleFromSchema(index < tuple.length ? tuple[index] : s.items, root, depth + 1),
      );
    }
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number':
      return sampleNumber(s, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return s.properties ? sampleFromSchema({ ...s, type: 'object' }, root, depth + 1) : null;
  }
}

function sampleString(s: Schema): string {
  switch (s.format) {
    case 'date-time':
      return '2026-01-01T00:00:00Z';
    case 'date':
      return '2026-01-01';
    case 'email':
      return 'user@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
  }
  if (typeof s.pattern === 'string') {
    const matching = sampleFromPattern(s.pattern);
    if (matching != null) return matching;
  }
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  const maxLength = typeof s.maxLength === 'number' ? s.maxLength : undefined;
  return 'example'.padEnd(minLength, 'x').slice(0, maxLength);
}

/** A number within the bounds (inclusive or exclusive) and a multiple of `multipleOf`, when given. */
function sampleNumber(s: Schema, integer: boolean): number {
  const bound = (inclusive: unknown, exclusive: unknown) =>
    typeof exclusive === 'number'
      ? { value: exclusive, exclusive: true }
      : typeof inclusive === 'number'
        ? { value: inclusive, exclusive: false }
        : undefined;
  const low = bound(s.minimum, s.exclusiveMinimum);
  const high = bound(s.maximum, s.exclusiveMaximum);
  const step = typeof s.multipleOf === 'number' && s.multipleOf > 0 ? s.multipleOf : integer ? 1 : undefined;

  if (step != null) {
    if (low != null) {
      const multiple = Math.ceil(low.value / step) * step;
      return low.exclusive && multiple === low.value ? multiple + step : multiple;
    }
    if (high != null) {
      const multiple = Math.floor(high.value / step) * step;
      return high.exclusive && multiple === high.value ? multiple - step : multiple;
    }
    return step;
  }
  if (low != null && high != null) return (low.value + high.value) / 2;
  if (low != null) return low.exclusive ? low.value + 1 : low.value;
  if (high != null) return high.exclusive ? high.value - 1 : high.value;
  return 1;
}

function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#')) return undefined;
  return ref
    .slice(1)
    .split('/')
    .filter(Boolean)
    .map(segment => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, segment) => (isPlainObject(node) ? node[segment] : undefined), root);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
