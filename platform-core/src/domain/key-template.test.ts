import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from './json.js';
import { parseKeyTemplate, renderKey, renderKeyValue, type KeyTemplatePart } from './key-template.js';

const parts = (template: string): readonly KeyTemplatePart[] => {
  const parsed = parseKeyTemplate(template);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.parts;
};

describe('key rendering (docs/dev/realtime-keys.md)', () => {
  it('escapes the separator and the escape character, so composite parts never run together', () => {
    const key = parts('{a}:{b}');
    expect(renderKey(key, { a: 'a:b', b: 'c' })).toBe('a\\:b:c');
    expect(renderKey(key, { a: 'a', b: 'b:c' })).toBe('a:b\\:c');
    expect(renderKeyValue('back\\slash')).toBe('back\\\\slash');
  });

  it('renders NULL as \\N, apart from the empty string and from the text "\\N"', () => {
    expect(renderKeyValue(null)).toBe('\\N');
    expect(renderKeyValue(undefined)).toBe('\\N');
    expect(renderKeyValue('')).toBe('');
    expect(renderKeyValue('\\N')).toBe('\\\\N');
  });

  it('renders numbers, booleans and objects as JSON text; a number and its digits alike (a lookup by text finds it)', () => {
    expect(renderKeyValue(42)).toBe('42');
    expect(renderKeyValue('42')).toBe('42');
    expect(renderKeyValue(true)).toBe('true');
    expect(renderKeyValue({ a: 1 })).toBe('{"a"\\:1}');
  });

  it('refuses templates whose keys could not be cut back into their values', () => {
    for (const [template, message] of [
      ['{a}{b}', "{a} and {b} need ':' between them"],
      ['{a}-{b}', "the text '-' between {a} and {b} needs a ':'"],
      ['x\\{a}', "'\\' in key_template text"],
    ] as const) {
      const parsed = parseKeyTemplate(template);
      expect(parsed.ok, template).toBe(false);
      if (!parsed.ok) expect(parsed.error.message).toContain(message);
    }
    expect(parseKeyTemplate('outlet:{a}-x:{b}').ok).toBe(true);
    expect(parseKeyTemplate('{a}').ok).toBe(true);
  });

  const value: fc.Arbitrary<JsonValue> = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', ':', '\\', 'N', '', '{', '"', 'é') }),
    fc.string(),
    fc.constant(null),
    fc.constant(''),
    fc.integer(),
  );

  it.each(['{a}:{b}', 'outlet:{a}:day:{b}', 'k{a}x:y{b}:{c}z', '{a}::{b}', '{a}'])(
    'no two distinct rows share a key (%s)',
    (template) => {
      const key = parts(template);
      const columns = [...new Set(key.flatMap((p) => (p.kind === 'placeholder' ? [p.column] : [])))];
      const row = fc.record(Object.fromEntries(columns.map((c) => [c, value])) as Record<string, typeof value>);
      fc.assert(
        fc.property(row, row, (x, y) => {
          // Distinct as a reader sees them: the number 1 and the text "1" are the same key on purpose.
          const same = columns.every((c) =>
            x[c] === null ? y[c] === null : y[c] !== null && String(x[c]) === String(y[c]),
          );
          return same === (renderKey(key, x) === renderKey(key, y));
        }),
        { numRuns: 2000 },
      );
    },
  );
});
