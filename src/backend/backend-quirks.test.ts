import { describe, expect, it } from 'vitest';
import { getBackendQuirks, removeParameter } from './backend-quirks';

describe('removeParameter', () => {
  it('removes top-level and nested parameters and says whether they were there', () => {
    const body: Record<string, unknown> = {
      service_tier: 'priority',
      reasoning: { effort: 'high', summary: 'auto' },
    };
    expect(removeParameter(body, 'service_tier')).toBe(true);
    expect(removeParameter(body, 'reasoning.summary')).toBe(true);
    expect(body).toEqual({ reasoning: { effort: 'high' } });
    expect(removeParameter(body, 'temperature')).toBe(false);
    expect(removeParameter(body, 'text.verbosity')).toBe(false);
  });
});

describe('getBackendQuirks', () => {
  it('keeps one record per base URL for the process', () => {
    const quirks = getBackendQuirks('https://one.example');
    quirks.unsupportedParameters.add('service_tier');
    expect(getBackendQuirks('https://one.example').unsupportedParameters.has('service_tier')).toBe(true);
    expect(getBackendQuirks('https://two.example').unsupportedParameters.size).toBe(0);
  });
});
