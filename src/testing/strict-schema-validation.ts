type Json = Record<string, unknown>;

/** A schema error as OpenAI's API answers it: `400 {"error": {message, type, param, code}}`. */
export interface StrictSchemaError {
  message: string;
  param: string;
}

/** Keywords strict mode refuses, as OpenAI's "Supported schemas" documents them (`anyOf` is the union it takes). */
const UNSUPPORTED_KEYWORDS = [
  'oneOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
];
const LIMITS = {
  depth: 10,
  properties: 5000,
  stringLength: 120_000,
  enumValues: 1000,
  largeEnum: 250,
  largeEnumLength: 15_000,
};

/**
 * Checks the schemas a request asks strict mode for — `text.format` with `strict: true` and function tools
 * with `strict: true` — against the rules OpenAI documents for strict structured outputs: an object root
 * (not `anyOf`), every property required, `additionalProperties: false`, no `oneOf`/`allOf`/`not`/`if`…,
 * at most 10 levels of objects and 5000 properties, and the size limits of names and enums. Returns the first
 * error, worded as the API words it.
 */
export function validateStrictSchemas(request: Json): StrictSchemaError | undefined {
  const format = asObject(asObject(request.text)?.format);
  if (format?.type === 'json_schema' && format.strict === true) {
    const error = checkSchema(format.schema, `response_format '${String(format.name)}'`);
    if (error != null) return { message: error, param: 'text.format.schema' };
  }
  const tools = Array.isArray(request.tools) ? request.tools : [];
  for (const [index, tool] of tools.entries()) {
    const fn = asObject(tool);
    if (fn?.type !== 'function' || fn.strict !== true) continue;
    const error = checkSchema(fn.parameters, `function '${String(fn.name)}'`);
    if (error != null) return { message: error, param: `tools[${index}].parameters` };
  }
  return undefined;
}

function checkSchema(schema: unknown, subject: string): string | undefined {
  const root = asObject(schema);
  if (root?.type !== 'object' || root.anyOf != null) {
    const type = root?.type == null ? 'None' : String(root.type);
    return `Invalid schema for ${subject}: schema must be a JSON Schema of 'type: "object"', got 'type: "${type}"'.`;
  }
  const totals = { properties: 0, stringLength: 0, enumValues: 0 };
  const error = checkNode(root, [], 1, totals);
  if (error != null) return `Invalid schema for ${subject}: ${error}`;
  if (totals.properties > LIMITS.properties)
    return `Invalid schema for ${subject}: the schema has ${totals.properties} object properties; at most ${LIMITS.properties} are allowed.`;
  if (totals.enumValues > LIMITS.enumValues)
    return `Invalid schema for ${subject}: the schema has ${totals.enumValues} enum values; at most ${LIMITS.enumValues} are allowed.`;
  if (totals.stringLength > LIMITS.stringLength)
    return `Invalid schema for ${subject}: the total length of property names, definition names, enum and const values is ${totals.stringLength}; at most ${LIMITS.stringLength} is allowed.`;
  return undefined;
}

function checkNode(
  node: Json,
  path: string[],
  depth: number,
  totals: { properties: number; stringLength: number; enumValues: number },
): string | undefined {
  const context = `In context=(${path.map(segment => `'${segment}'`).join(', ')})`;
  const keyword = UNSUPPORTED_KEYWORDS.find(name => name in node);
  if (keyword != null) return `${context}, '${keyword}' is not permitted.`;

  if (Array.isArray(node.enum)) {
    totals.enumValues += node.enum.length;
    const length = node.enum.reduce<number>((sum, value) => sum + String(value).length, 0);
    totals.stringLength += length;
    if (node.enum.length > LIMITS.largeEnum && length > LIMITS.largeEnumLength)
      return `${context}, an enum with more than ${LIMITS.largeEnum} values may have at most ${LIMITS.largeEnumLength} characters in total; it has ${length}.`;
  }
  if (node.const != null) totals.stringLength += String(node.const).length;

  const properties = asObject(node.properties);
  const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));
  if (isObject || properties != null) {
    if (depth > LIMITS.depth) return `${context}, objects are nested more than ${LIMITS.depth} levels deep.`;
    if (node.additionalProperties !== false)
      return `${context}, 'additionalProperties' is required to be supplied and to be false.`;
    const names = Object.keys(properties ?? {});
    const required = Array.isArray(node.required) ? node.required : [];
    const missing = names.find(name => !required.includes(name));
    if (missing != null)
      return `${context}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
    totals.properties += names.length;
    for (const name of names) {
      totals.stringLength += name.length;
      const error = checkChild(properties?.[name], [...path, 'properties', name], depth + 1, totals);
      if (error != null) return error;
    }
  }

  const items = node.items;
  const itemList = Array.isArray(items) ? items : items != null ? [items] : [];
  for (const [index, item] of itemList.entries()) {
    const error = checkChild(
      item,
      [...path, 'items', ...(Array.isArray(items) ? [String(index)] : [])],
      depth,
      totals,
    );
    if (error != null) return error;
  }
  for (const [index, branch] of (Array.isArray(node.anyOf) ? node.anyOf : []).entries()) {
    const error = checkChild(branch, [...path, 'anyOf', String(index)], depth, totals);
    if (error != null) return error;
  }
  for (const key of ['$defs', 'definitions']) {
    for (const [name, definition] of Object.entries(asObject(node[key]) ?? {})) {
      totals.stringLength += name.length;
      const error = checkChild(definition, [...path, key, name], 1, totals);
      if (error != null) return error;
    }
  }
  return undefined;
}

function checkChild(
  child: unknown,
  path: string[],
  depth: number,
  totals: { properties: number; stringLength: number; enumValues: number },
): string | undefined {
  const node = asObject(child);
  return node == null ? undefined : checkNode(node, path, depth, totals);
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}
