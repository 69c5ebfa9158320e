import type { JSONSchema7 } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { isStrictJsonSchema, toStrictModeSchema } from './strict-json-schema';

describe('isStrictJsonSchema', () => {
  it('accepts schemas whose objects require every property and allow no others', () => {
    expect(
      isStrictJsonSchema({
        type: 'object',
        properties: {
          name: { type: 'string' },
          tags: {
            type: 'array',
            items: {
              type: 'object',
              properties: { a: { type: 'number' } },
              required: ['a'],
              additionalProperties: false,
            },
          },
          maybe: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        },
        required: ['name', 'tags', 'maybe'],
        additionalProperties: false,
      }),
    ).toBe(true);
  });

  it('rejects optional properties, also when nested', () => {
    expect(
      isStrictJsonSchema({
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'string' } },
        required: ['a'],
        additionalProperties: false,
      }),
    ).toBe(false);
    expect(
      isStrictJsonSchema({
        type: 'object',
        properties: {
          inner: { type: 'object', properties: { x: { type: 'string' } }, additionalProperties: false },
        },
        required: ['inner'],
        additionalProperties: false,
      }),
    ).toBe(false);
  });

  it('rejects objects that allow additional properties', () => {
    expect(
      isStrictJsonSchema({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }),
    ).toBe(false);
    expect(isStrictJsonSchema({ type: 'object' })).toBe(false);
    expect(isStrictJsonSchema({ type: 'array', items: { type: 'object', additionalProperties: true } })).toBe(
      false,
    );
  });

  it('accepts oneOf (sent as anyOf), refuses a root that is not an object and keywords strict mode refuses', () => {
    const shape = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('circle'), radius: z.number() }),
      z.object({ kind: z.literal('square'), side: z.number() }),
    ]);
    const wrapped = z.toJSONSchema(z.object({ shape })) as JSONSchema7;
    expect(JSON.stringify(wrapped)).toContain('"oneOf"');
    expect(isStrictJsonSchema(wrapped)).toBe(true);
    expect(isStrictJsonSchema(z.toJSONSchema(shape) as JSONSchema7)).toBe(false);
    expect(isStrictJsonSchema({ type: 'array', items: { type: 'string' } })).toBe(false);

    const object = (extra: JSONSchema7): JSONSchema7 => ({
      type: 'object',
      properties: { a: { type: 'string', ...extra } },
      required: ['a'],
      additionalProperties: false,
    });
    expect(isStrictJsonSchema(object({}))).toBe(true);
    for (const extra of [
      { allOf: [{}] },
      { not: {} },
      { if: {} },
      { else: {} },
      { dependentRequired: {} },
    ] as JSONSchema7[])
      expect(isStrictJsonSchema(object(extra))).toBe(false);
  });

  it('keeps within the documented limits: 10 levels of objects, 5000 properties', () => {
    const nested = (levels: number): JSONSchema7 =>
      levels === 1
        ? {
            type: 'object',
            properties: { leaf: { type: 'string' } },
            required: ['leaf'],
            additionalProperties: false,
          }
        : {
            type: 'object',
            properties: { next: nested(levels - 1) },
            required: ['next'],
            additionalProperties: false,
          };
    expect(isStrictJsonSchema(nested(10))).toBe(true);
    expect(isStrictJsonSchema(nested(11))).toBe(false);

    const wide = (count: number): JSONSchema7 => {
      const names = Array.from({ length: count }, (_, index) => `p${index}`);
      return {
        type: 'object',
        properties: Object.fromEntries(names.map(name => [name, { type: 'number' }])),
        required: names,
        additionalProperties: false,
      };
    };
    expect(isStrictJsonSchema(wide(5000))).toBe(true);
    expect(isStrictJsonSchema(wide(5001))).toBe(false);
  });
});

describe('toStrictModeSchema', () => {
  it('turns every oneOf into anyOf, in properties, items and definitions, without changing the input', () => {
    const branch = (name: string): JSONSchema7 => ({
      type: 'object',
      properties: { [name]: { type: 'string' } },
      required: [name],
      additionalProperties: false,
    });
    const schema = {
      type: 'object',
      properties: {
        // A property may be named like a keyword; only schema keywords are rewritten.
        oneOf: { oneOf: [branch('a'), branch('b')] },
        list: { type: 'array', items: { oneOf: [branch('c'), { $ref: '#/$defs/d' }] } },
      },
      required: ['oneOf', 'list'],
      additionalProperties: false,
      $defs: { d: { oneOf: [branch('d'), { type: 'null' }] } },
    } as JSONSchema7;
    const before = JSON.stringify(schema);

    const strict = toStrictModeSchema(schema);

    expect(JSON.stringify(schema)).toBe(before);
    expect(JSON.stringify(strict)).not.toContain('"oneOf":[');
    expect(strict).toEqual(JSON.parse(before.replaceAll('{"oneOf":[', '{"anyOf":[')));
    expect(Object.keys(strict.properties ?? {})).toEqual(['oneOf', 'list']);
  });
});
