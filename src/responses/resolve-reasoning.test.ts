import type { SharedV4Warning } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { clampEffort, resolveReasoningEffort } from './resolve-reasoning';

const gpt55 = ['low', 'medium', 'high', 'xhigh'];

function resolve(options: Partial<Parameters<typeof resolveReasoningEffort>[0]>) {
  const warnings: SharedV4Warning[] = [];
  const effort = resolveReasoningEffort({
    reasoning: undefined,
    providerEffort: undefined,
    supportedEfforts: gpt55,
    warnings,
    ...options,
  });
  return { effort, warnings };
}

describe('resolveReasoningEffort', () => {
  it('leaves the model default when nothing is asked', () => {
    expect(resolve({})).toEqual({ effort: undefined, warnings: [] });
    expect(resolve({ reasoning: 'provider-default' })).toEqual({ effort: undefined, warnings: [] });
  });

  it('passes supported call-level efforts through', () => {
    expect(resolve({ reasoning: 'high' })).toEqual({ effort: 'high', warnings: [] });
  });

  it('clamps call-level efforts to the supported ones, with a compatibility warning', () => {
    expect(resolve({ reasoning: 'max' })).toEqual({
      effort: 'xhigh',
      warnings: [expect.objectContaining({ type: 'compatibility', feature: 'reasoning' })],
    });
    expect(resolve({ reasoning: 'minimal' }).effort).toBe('low');
    expect(resolve({ reasoning: 'none' }).effort).toBe('low');
  });

  it('lets the provider option win and clamps it too', () => {
    expect(resolve({ reasoning: 'low', providerEffort: 'high' })).toEqual({ effort: 'high', warnings: [] });
    expect(resolve({ providerEffort: 'minimal' })).toEqual({
      effort: 'low',
      warnings: [
        {
          type: 'compatibility',
          feature: 'reasoningEffort',
          details: 'reasoningEffort "minimal" is not supported by this model; "low" was sent instead.',
        },
      ],
    });
  });

  it('sends ultra as max, as the Codex CLI does', () => {
    expect(resolve({ providerEffort: 'ultra', supportedEfforts: [...gpt55, 'max', 'ultra'] }).effort).toBe(
      'max',
    );
  });

  it('does not clamp for models the catalog does not know', () => {
    expect(resolve({ providerEffort: 'minimal', supportedEfforts: undefined })).toEqual({
      effort: 'minimal',
      warnings: [],
    });
    expect(resolve({ reasoning: 'none', supportedEfforts: [] })).toEqual({ effort: 'none', warnings: [] });
  });
});

describe('clampEffort', () => {
  it('prefers the nearest lower effort, else the nearest higher one', () => {
    expect(clampEffort('max', gpt55)).toBe('xhigh');
    expect(clampEffort('ultra', [...gpt55, 'max'])).toBe('max');
    expect(clampEffort('minimal', gpt55)).toBe('low');
    expect(clampEffort('none', ['none', 'low'])).toBe('none');
    expect(clampEffort('none', gpt55)).toBe('low');
  });
});
