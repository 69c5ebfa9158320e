import { describe, expect, it } from 'vitest';
import { rawOptionValue } from './raw-option-value';

describe('rawOptionValue', () => {
  it('returns the value as typed, digits and leading zeros included, the last one when repeated', () => {
    expect(rawOptionValue(['serve', '--api-key', '0123456789012345678901'], '--api-key')).toBe(
      '0123456789012345678901',
    );
    expect(rawOptionValue(['serve', '--api-key=1e3', '--port', '1'], '--api-key')).toBe('1e3');
    expect(rawOptionValue(['--api-key', 'a', '--api-key', 'b'], '--api-key')).toBe('b');
  });

  it('ignores other options, prefixes of the name and arguments after --', () => {
    expect(rawOptionValue(['--api-key-file', 'key.txt'], '--api-key')).toBeUndefined();
    expect(rawOptionValue(['--', '--api-key', 'x'], '--api-key')).toBeUndefined();
    expect(rawOptionValue(['--api-key'], '--api-key')).toBeUndefined();
  });
});
