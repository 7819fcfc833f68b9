import { describe, expect, it } from 'vitest';
import { canonicalJson, normalizeText } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined and ends with a newline', () => {
    const a = canonicalJson({ b: 1, a: { d: [{ z: 1, y: undefined, x: 2 }], c: null } });
    const b = canonicalJson({ a: { c: null, d: [{ x: 2, z: 1 }] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "x": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
    expect(canonicalJson({ b: 1, a: 2 }, 0)).toBe('{"a":2,"b":1}');
  });

  it('refuses values JSON cannot hold exactly', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });

  it('normalises line endings of embedded text', () => {
    expect(normalizeText('a\r\nb\rc\n')).toBe('a\nb\nc\n');
  });
});
