import { describe, expect, it } from 'vitest';
import { YamlDocumentParser } from '../../adapters/yaml/yaml-document-parser.js';
import { encodeForScalar, scalarSource } from './scalar-offsets.js';

const parser = new YamlDocumentParser();

/** The source text each value substring maps to, for every occurrence of `needle` in the value. */
function mapped(yaml: string, needle: string) {
  const doc = parser.parse(yaml);
  const value = (doc.value as { v: string }).v;
  const source = scalarSource({ file: 'f.yaml', hash: '', doc }, '/v', value);
  if (!source) return undefined;
  const i = value.indexOf(needle);
  const range = source.rangeOf(i, i + needle.length);
  const from = doc.offsetAt(range.start.line, range.start.column);
  const to = doc.offsetAt(range.end.line, range.end.column);
  return { style: source.style, text: yaml.slice(from, to), line: range.start.line, column: range.start.column };
}

describe('scalarSource', () => {
  it('maps plain and quoted scalars, through escapes', () => {
    expect(mapped('v: failures = 0\n', 'failures')).toEqual({ style: 'plain', text: 'failures', line: 1, column: 4 });
    expect(mapped('v: "a \\"q\\" \\u00e9 and\\tfailurs = 0"\n', 'failurs')).toMatchObject({
      style: 'double-quoted',
      text: 'failurs',
      column: 25,
    });
    expect(mapped('v: "say \\"hi\\""\n', '"hi"')).toMatchObject({ text: '\\"hi\\"' });
    expect(mapped("v: 'status = ''ok'' and x = 1'\n", "'ok'")).toMatchObject({
      style: 'single-quoted',
      text: "''ok''",
    });
    expect(mapped("v: 'status = ''ok'' and x = 1'\n", 'x = 1')).toMatchObject({ text: 'x = 1', column: 25 });
  });

  it('maps folded lines of flow scalars and of block scalars', () => {
    expect(mapped('v: "a = 1 and\n   zzz = 2"\n', 'zzz')).toEqual({
      style: 'double-quoted',
      text: 'zzz',
      line: 2,
      column: 4,
    });
    expect(mapped('v: a = 1 and\n  zzz = 2\n', 'zzz = 2')).toEqual({
      style: 'plain',
      text: 'zzz = 2',
      line: 2,
      column: 3,
    });
    expect(mapped('v: |\n  a = 1\n    and zzz = 2\n', 'zzz')).toEqual({
      style: 'block',
      text: 'zzz',
      line: 3,
      column: 9,
    });
    expect(mapped('v: >-\n  a = 1 and\n  zzz = null\n', 'zzz = null')).toEqual({
      style: 'block',
      text: 'zzz = null',
      line: 3,
      column: 3,
    });
    expect(mapped('v: "a\\\n   zzz"\n', 'zzz')).toMatchObject({ text: 'zzz', line: 2 });
  });

  it('is undefined when the node is not a string scalar', () => {
    const doc = parser.parse('v: [1]\n');
    expect(scalarSource({ file: 'f.yaml', hash: '', doc }, '/v', '1')).toBeUndefined();
  });
});

describe('encodeForScalar', () => {
  it('writes a replacement the way the scalar quotes', () => {
    expect(encodeForScalar(`'ok'`, 'single-quoted')).toBe(`''ok''`);
    expect(encodeForScalar(`say "hi" \\`, 'double-quoted')).toBe(`say \\"hi\\" \\\\`);
    expect(encodeForScalar('failures', 'plain')).toBe('failures');
    expect(encodeForScalar(`'ok'`, 'plain')).toBeUndefined();
    expect(encodeForScalar('a: b', 'plain')).toBeUndefined();
  });
});
