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
});
