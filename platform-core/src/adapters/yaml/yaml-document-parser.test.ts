import { describe, expect, it } from 'vitest';
import { YamlDocumentParser } from './yaml-document-parser.js';

const parser = new YamlDocumentParser();
const text = [
  'apiVersion: akili/v1', // 1
  'kind: Output', // 2
  'schema:', // 3
  '  - name: order_id', // 4
  '    type: "integer"', // 5
  '  - name: amount', // 6
  '    type: decimal(12,2)', // 7
  'note: |', // 8
  '  first line', // 9
  '  second line', // 10
  '',
].join('\n');

describe('YamlDocumentParser', () => {
  const doc = parser.parse(text);

  it('keeps the plain value', () => {
    expect(doc.value).toMatchObject({
      kind: 'Output',
      schema: [{ name: 'order_id', type: 'integer' }, { name: 'amount' }],
    });
    expect(doc.problems).toEqual([]);
  });

  it('locates values and keys by JSON pointer', () => {
    expect(doc.rangeOf('/kind')).toEqual({ start: { line: 2, column: 7 }, end: { line: 2, column: 13 } });
    expect(doc.rangeOf('/kind', 'key')).toEqual({ start: { line: 2, column: 1 }, end: { line: 2, column: 5 } });
    expect(doc.rangeOf('/schema/1/type')).toEqual({ start: { line: 7, column: 11 }, end: { line: 7, column: 24 } });
    expect(doc.rangeOf('/schema/0/type')).toEqual({ start: { line: 5, column: 11 }, end: { line: 5, column: 20 } });
  });

  it('falls back to the deepest existing ancestor for a missing pointer', () => {
    expect(doc.has('/schema/1/role')).toBe(false);
    // The sequence item exists: its first line is where the missing key would go.
    expect(doc.rangeOf('/schema/1/role').start).toEqual({ line: 6, column: 5 });
    expect(doc.rangeOf('/missing').start).toEqual({ line: 1, column: 1 });
  });

  it('gives scalar spans without quotes and for block scalars', () => {
    const quoted = doc.scalarSpan('/schema/0/type');
    expect(quoted && text.slice(quoted.start, quoted.end)).toBe('integer');
    expect(quoted?.quoted).toBe(true);
    const block = doc.scalarSpan('/note');
    expect(block?.block).toBe(true);
    expect(block && text.slice(block.start, block.end)).toBe('  first line\n  second line\n');
  });

  it('reports duplicate keys with the key name and position', () => {
    const d = parser.parse('metadata:\n  name: a\n  name: b\n');
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0]).toMatchObject({
      kind: 'duplicate-key',
      message: "'name' appears twice in one mapping",
      path: '/metadata/name',
    });
    expect(d.problems[0]?.range.start).toEqual({ line: 3, column: 3 });
  });

  it('reports syntax errors with a position', () => {
    const d = parser.parse('metadata:\n  name: "unclosed\n  domain: x\n');
    expect(d.problems.length).toBeGreaterThan(0);
    expect(d.problems[0]?.kind).toBe('syntax');
    expect(d.problems[0]?.range.start.line).toBeGreaterThanOrEqual(2);
  });

  it('counts columns in UTF-16 code units after non-ASCII text', () => {
    const d = parser.parse('description: "café ☕"\nkind: Output\n');
    expect(d.rangeOf('/kind')).toEqual({ start: { line: 2, column: 7 }, end: { line: 2, column: 13 } });
    expect(d.rangeAt(14, 20)).toEqual({ start: { line: 1, column: 15 }, end: { line: 1, column: 21 } });
  });
});
