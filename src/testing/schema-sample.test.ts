import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { sampleFromSchema } from './schema-sample';

describe('sampleFromSchema', () => {
  it('produces a value a zod-generated JSON schema accepts', () => {
    const schema = z.object({
      name: z.string().min(12),
      age: z.number().int().min(18),
      email: z.email(),
      tags: z.array(z.enum(['a', 'b'])).min(2),
      kind: z.literal('person'),
      nickname: z.string().nullable(),
      address: z.object({ city: z.string(), zip: z.union([z.string(), z.number()]) }),
      active: z.boolean(),
    });
    const sample = sampleFromSchema(z.toJSONSchema(schema));
    expect(schema.safeParse(sample).success).toBe(true);
  });

  it('follows local $refs and merges allOf parts', () => {
    const schema = {
      $defs: { point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } } },
      allOf: [{ $ref: '#/$defs/point' }, { type: 'object', properties: { label: { const: 'origin' } } }],
    };
    expect(sampleFromSchema(schema)).toEqual({ x: 1, y: 1, label: 'origin' });
  });

  it('stops at recursive schemas instead of looping', () => {
    const schema = { $ref: '#' };
    expect(sampleFromSchema(schema)).toBeNull();
  });

  const shapes: Record<string, z.ZodType> = {
    'a discriminated union': z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('a'), x: z.number() }),
      z.object({ kind: z.literal('b'), y: z.string() }),
    ]),
    'number bounds, exclusive bounds and multiples': z.object({
      between: z.number().gt(5).lt(6),
      int: z.int().min(10).max(20),
      multiple: z.number().multipleOf(7).min(8),
      negative: z.number().max(-3),
      below: z.int().lt(0),
    }),
    'string lengths and formats': z.object({
      short: z.string().max(3),
      sized: z.string().min(3).max(5),
      long: z.string().min(20),
      email: z.email(),
      uuid: z.uuid(),
      date: z.iso.date(),
      url: z.url(),
    }),
    patterns: z.object({
      code: z.string().regex(/^[A-Z]{3}$/),
      phone: z.string().regex(/^\+\d{2}-\d{3,4}$/),
      version: z.string().regex(/^v(\d+\.)?\d+$/),
    }),
    'array sizes and tuples': z.object({
      some: z.array(z.string()).min(2).max(3),
      none: z.array(z.number()).max(0),
      pair: z.tuple([z.string(), z.number()]),
    }),
    'a recursive schema': z.object({
      name: z.string(),
      get children(): z.ZodArray<z.ZodType> {
        return z.array(shapes['a recursive schema'] as z.ZodType);
      },
    }),
  };

  for (const [name, schema] of Object.entries(shapes)) {
    it(`samples a value zod accepts: ${name}`, () => {
      const value = sampleFromSchema(z.toJSONSchema(schema));
      const parsed = schema.safeParse(value);
      expect(parsed.error?.issues, JSON.stringify(value)).toBeUndefined();
    });
  }
});
