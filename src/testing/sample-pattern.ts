/** Characters that stand for each common class escape. */
const CLASS_SAMPLES: Record<string, string> = { d: '0', w: 'a', s: ' ', D: 'a', W: '-', S: 'a' };

/**
 * A string that matches a simple regular expression (literals, escapes, character classes, groups without
 * alternation, and the quantifiers `?`, `*`, `+`, `{n}`, `{n,m}`), taking each repetition's minimum (at least
 * once for `*` and `+`, so the sample is not empty). `undefined` when the pattern is beyond that, or the
 * string built does not match after all.
 */
export function sampleFromPattern(pattern: string): string | undefined {
  let result = '';
  // Each group's output so far, so that a quantifier after `)` repeats the whole group.
  const groups: string[] = [];
  let last = '';
  let index = 0;
  const take = (atom: string) => {
    last = atom;
    result += atom;
  };
  while (index < pattern.length) {
    const char = pattern[index] as string;
    index += 1;
    if (char === '^' || char === '$') continue;
    if (char === '|') return undefined;
    if (char === '(') {
      if (pattern.startsWith('?:', index)) index += 2;
      groups.push(result);
      continue;
    }
    if (char === ')') {
      const start = groups.pop();
      if (start == null) return undefined;
      last = result.slice(start.length);
      continue;
    }
    if (char === '\\') {
      const escaped = pattern[index] ?? '';
      index += 1;
      take(CLASS_SAMPLES[escaped] ?? escaped);
      continue;
    }
    if (char === '[') {
      const end = pattern.indexOf(']', index + 1);
      if (end === -1 || pattern[index] === '^') return undefined;
      const first =
        pattern[index] === '\\'
          ? (CLASS_SAMPLES[pattern[index + 1] ?? ''] ?? pattern[index + 1])
          : pattern[index];
      index = end + 1;
      take(first ?? '');
      continue;
    }
    const quantifier = /^(?:\{(\d+)(?:,\d*)?\}|[?*+])/.exec(pattern.slice(index - 1));
    if (quantifier != null) {
      index += quantifier[0].length - 1;
      const times = quantifier[1] != null ? Number(quantifier[1]) : quantifier[0] === '?' ? 0 : 1;
      result = result.slice(0, result.length - last.length) + last.repeat(times);
      last = '';
      continue;
    }
    take(char === '.' ? 'a' : char);
  }
  try {
    return new RegExp(pattern, 'u').test(result) ? result : undefined;
  } catch {
    return undefined;
  }
}
