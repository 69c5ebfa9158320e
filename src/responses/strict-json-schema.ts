import type { JSONSchema7, JSONSchema7Definition } from '@ai-sdk/provider';

type SchemaWithDefs = JSONSchema7 & { $defs?: Record<string, JSONSchema7Definition> };

/** Keywords strict mode refuses (OpenAI's "Supported schemas"); `oneOf` is sent as `anyOf` instead. */
const UNSUPPORTED_KEYWORDS = [
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
] as const;
// Limits OpenAI documents for strict schemas.
const MAX_OBJECT_DEPTH = 10;
const MAX_PROPERTIES = 5000;

/**
 * Whether strict structured-output mode can take this schema once {@link toStrictModeSchema} rewrote it:
 * the root is an object, every object lists all its properties as required and allows no others, no keyword
 * strict mode refuses is used, and nesting and size stay within the documented limits. Optional fields (as
 * zod's `.optional()` produces) are not expressible in strict mode.
 */
export function isStrictJsonSchema(schema: JSONSchema7Definition): boolean {
  if (typeof schema === 'boolean' || schema.type !== 'object' || schema.anyOf != null || schema.oneOf != null)
    return false;
  const count = { properties: 0 };
  return isStrictNode(schema, 1, count) && count.properties <= MAX_PROPERTIES;
}

function isStrictNode(schema: JSONSchema7Definition, depth: number, count: { properties: number }): boolean {
  if (typeof schema === 'boolean') return true;
  if (UNSUPPORTED_KEYWORDS.some(keyword => keyword in schema)) return false;
  if (schema.anyOf != null && schema.oneOf != null) return false;

  let childDepth = depth;
  if (schema.properties != null) {
    if (depth > MAX_OBJECT_DEPTH) return false;
    childDepth = depth + 1;
    const required = new Set(schema.required ?? []);
    if (schema.additionalProperties !== false) return false;
    for (const [key, property] of Object.entries(schema.properties)) {
      count.properties += 1;
      if (!required.has(key) || !isStrictNode(property, childDepth, count)) return false;
    }
  } else if (schema.type === 'object' && schema.additionalProperties !== false) {
    return false;
  }

  const children: JSONSchema7Definition[] = [
    ...asArray(schema.items),
    ...(schema.anyOf ?? []),
    ...(schema.oneOf ?? []),
  ];
  const definitions = [
    ...Object.values(schema.definitions ?? {}),
    ...Object.values((schema as SchemaWithDefs).$defs ?? {}),
  ];
  return (
    children.every(child => isStrictNode(child, childDepth, count)) &&
    definitions.every(definition => isStrictNode(definition, 1, count))
  );
}

/**
 * The schema as strict mode takes it: every `oneOf` becomes an `anyOf`, which strict mode supports and
 * which means the same for the discriminated unions that produce `oneOf` (`z.discriminatedUnion`), whose
 * branches never overlap. The input is not changed.
 */
export function toStrictModeSchema<SCHEMA extends JSONSchema7Definition>(schema: SCHEMA): SCHEMA {
  if (typeof schema === 'boolean') return schema;
  const { oneOf, ...rest } = schema as SchemaWithDefs;
  const copy: Record<string, unknown> = { ...rest };
  if (rest.anyOf != null) copy.anyOf = rest.anyOf.map(toStrictModeSchema);
  // A schema with both keeps its `oneOf`: the backend's error names it, rather than a meaning silently lost.
  if (oneOf != null) copy[rest.anyOf == null ? 'anyOf' : 'oneOf'] = oneOf.map(toStrictModeSchema);
  if (rest.items != null) {
    copy.items = Array.isArray(rest.items)
      ? rest.items.map(toStrictModeSchema)
      : toStrictModeSchema(rest.items);
  }
  for (const key of ['properties', 'definitions', '$defs'] as const) {
    const map = rest[key];
    if (map != null) {
      copy[key] = Object.fromEntries(
        Object.entries(map).map(([name, child]) => [name, toStrictModeSchema(child)]),
      );
    }
  }
  return copy as SCHEMA;
}

function asArray(items: JSONSchema7['items']): JSONSchema7Definition[] {
  return items == null ? [] : Array.isArray(items) ? items : [items];
}
