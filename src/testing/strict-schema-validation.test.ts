import { describe, expect, it } from 'vitest';
import { validateStrictSchemas } from './strict-schema-validation';

type Schema = Record<string, unknown>;

const object = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
});
const format = (schema: unknown, strict = true) => ({
  text: { format: { type: 'json_schema', name: 'shape', strict, schema } },
});
const circle = object({ kind: { type: 'string', const: 'circle' }, radius: { type: 'number' } });
const square = object({ kind: { type: 'string', const: 'square' }, side: { type: 'number' } });

describe('validateStrictSchemas', () => {
  it('accepts what strict mode takes: anyOf, nullable types, $defs and $refs, enums, string formats', () => {
    const schema = object(
      {
        shape: { anyOf: [circle, square] },
        note: { type: ['string', 'null'] },
        unit: { type: 'string', enum: ['cm', 'in'] },
        when: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { $ref: '#/$defs/tag' }, minItems: 1 },
      },
      { $defs: { tag: object({ name: { type: 'string' } }) } },
    );
    expect(validateStrictSchemas(format(schema))).toBeUndefined();
  });

  it.each([
    [
      object({ shape: { oneOf: [circle, square] } }),
      `In context=('properties', 'shape'), 'oneOf' is not permitted.`,
    ],
    [object({ a: { allOf: [{ type: 'string' }] } }), `'allOf' is not permitted`],
    [object({ a: { type: 'string', not: { const: 'x' } } }), `'not' is not permitted`],
    [
      {
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'string' } },
        required: ['a'],
        additionalProperties: false,
      },
      `'required' is required to be supplied and to be an array including every key in properties. Missing 'b'.`,
    ],
    [
      object({ inner: { type: 'object', properties: {}, required: [] } }),
      `In context=('properties', 'inner'), 'additionalProperties' is required to be supplied and to be false.`,
    ],
    [{ anyOf: [circle, square] }, `schema must be a JSON Schema of 'type: "object"', got 'type: "None"'.`],
    [{ type: 'array', items: circle }, `got 'type: "array"'`],
  ])('refuses %j', (schema, message) => {
    expect(validateStrictSchemas(format(schema))).toEqual({
      message: expect.stringContaining(message),
      param: 'text.format.schema',
    });
    expect(validateStrictSchemas(format(schema))?.message).toMatch(
      /^Invalid schema for response_format 'shape': /,
    );
    // Without strict, the schema is the model's guide, not a contract: anything goes.
    expect(validateStrictSchemas(format(schema, false))).toBeUndefined();
  });

  it('enforces the documented limits: 10 levels of objects, 5000 properties, 1000 enum values', () => {
    const nested = (levels: number): Schema =>
      levels === 1 ? object({ leaf: { type: 'string' } }) : object({ next: nested(levels - 1) });
    expect(validateStrictSchemas(format(nested(10)))).toBeUndefined();
    expect(validateStrictSchemas(format(nested(11)))?.message).toMatch(/nested more than 10 levels/);

    const wide = (count: number) =>
      object(Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, { type: 'number' }])));
    expect(validateStrictSchemas(format(wide(5000)))).toBeUndefined();
    expect(validateStrictSchemas(format(wide(5001)))?.message).toMatch(
      /5001 object properties; at most 5000/,
    );

    const values = (count: number) => Array.from({ length: count }, (_, i) => `v${i}`);
    const enums = object({
      a: { type: 'string', enum: values(600) },
      b: { type: 'string', enum: values(401) },
    });
    expect(validateStrictSchemas(format(enums))?.message).toMatch(/1001 enum values; at most 1000/);
    const longEnum = object({ a: { type: 'string', enum: values(251).map(v => v.padEnd(60, 'x')) } });
    expect(validateStrictSchemas(format(longEnum))?.message).toMatch(
      /more than 250 values may have at most 15000/,
    );
  });

  it('checks strict function tools, naming the tool and its index', () => {
    const tools = [
      { type: 'function', name: 'loose', strict: false, parameters: { type: 'object' } },
      {
        type: 'function',
        name: 'draw',
        strict: true,
        parameters: object({ shape: { oneOf: [circle, square] } }),
      },
    ];
    expect(validateStrictSchemas({ tools })).toEqual({
      message: expect.stringMatching(/^Invalid schema for function 'draw': .*'oneOf' is not permitted/),
      param: 'tools[1].parameters',
    });
  });
});
