import type { JSONSchema7, JSONSchema7Definition } from '@ai-sdk/provider';

/**
 * Whether strict structured-output mode can take this schema: every object lists all its
 * properties as required and allows no others. Optional fields (as zod's `.optional()` produces)
 * are not expressible in strict mode.
 */
export function isStrictJsonSchema(schema: JSONSchema7Definition): boolean {
  if (typeof schema === 'boolean') return true;

  if (schema.properties != null) {
    const required = new Set(schema.required ?? []);
    if (schema.additionalProperties !== false) return false;
    for (const [key, property] of Object.entries(schema.properties)) {
      if (!required.has(key) || !isStrictJsonSchema(property)) return false;
    }
  } else if (schema.type === 'object' && schema.additionalProperties !== false) {
    return false;
  }

  const children: JSONSchema7Definition[] = [
    ...asArray(schema.items),
    ...(schema.anyOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.allOf ?? []),
    ...Object.values(schema.definitions ?? {}),
    ...Object.values((schema as { $defs?: Record<string, JSONSchema7Definition> }).$defs ?? {}),
  ];
  return children.every(isStrictJsonSchema);
}

function asArray(items: JSONSchema7['items']): JSONSchema7Definition[] {
  return items == null ? [] : Array.isArray(items) ? items : [items];
}
