import { describe, expect, it } from 'vitest';
import { sampleFromPattern } from './sample-pattern';

describe('sampleFromPattern', () => {
  it.each([
    '^[A-Z]{3}$',
    '^\\d{4}-\\d{2}-\\d{2}$',
    '^(?:ab)+c?$',
    '^[a-z0-9_]+@example\\.com$',
    '^\\w{2,5}\\s\\S*$',
    'x.y',
  ])('builds a string that %s matches', pattern => {
    const sample = sampleFromPattern(pattern);
    expect(sample).toBeTypeOf('string');
    expect(new RegExp(pattern, 'u').test(sample as string)).toBe(true);
  });

  it('gives up on what it does not build, rather than answering a string that does not match', () => {
    expect(sampleFromPattern('^(cat|dog)$')).toBeUndefined();
    expect(sampleFromPattern('^[^a]$')).toBeUndefined();
    expect(sampleFromPattern('^(?=a)b$')).toBeUndefined();
  });
});
