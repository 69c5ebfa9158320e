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
      const count = typeof s.minItems === 'number' ? s.minItems : 1;
      return Array.from({ length: count }, () => sampleFromSchema(s.items, root, depth + 1));
    }
    case 'string':
      return sampleString(s);
    case 'integer':
      return typeof s.minimum === 'number' ? Math.ceil(s.minimum) : 1;
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1;
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
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  return 'example'.padEnd(minLength, 'x');
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
