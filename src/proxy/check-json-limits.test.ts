import { describe, expect, it } from 'vitest';
import { checkJsonLimits } from './check-json-limits';
import { ProxyError } from './proxy-error';

const limits = { maxDepth: 4, maxListLength: 3, maxContainers: 10 };

function refusal(text: string): ProxyError | undefined {
  try {
    checkJsonLimits(text, limits);
    return undefined;
  } catch (error) {
    if (error instanceof ProxyError) return error;
    throw error;
  }
}

describe('checkJsonLimits', () => {
  it('passes bodies within the limits, brackets, commas and quotes inside strings included', () => {
    expect(refusal('{"messages":[{"a":1},{"b":"[[[[[,,,,{{{{"},{"c":"\\\\"}]}')).toBeUndefined();
    expect(refusal('{"k":"say \\"[[[[[[\\" twice"}')).toBeUndefined();
    expect(refusal('[1,2,3]')).toBeUndefined();
    expect(refusal('{"unterminated":"[[[[[[[[')).toBeUndefined();
  });

  it('refuses a long list, naming the top-level field', () => {
    const error = refusal('{"model":"m","messages":[{},{},{},{}]}');
    expect(error?.status).toBe(400);
    expect(error?.param).toBe('messages');
    expect(error?.message).toMatch(/^'messages' has more than 3 items/);
    expect(refusal('{"messages":[{"content":[1,2,3,4]}]}')?.message).toMatch(
      /^A list in 'messages' has more than 3 items/,
    );
  });

  it('refuses deep nesting and too many objects', () => {
    expect(refusal('{"tools":[{"a":{"b":{}}}]}')?.message).toMatch(/deeper than 4 levels in 'tools'/);
    expect(refusal('{"a":[[1],[2]],"b":[[3],[4]],"c":[[5],[6],[7]]}')?.message).toMatch(
      /more than 10 objects and lists in 'c'/,
    );
  });
});
