import { describe, expect, it } from 'vitest';
import { isStrictJsonSchema } from './strict-json-schema';

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
});
