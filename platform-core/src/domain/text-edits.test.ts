import { describe, expect, it } from 'vitest';
import { applyEdits, applyFix } from './text-edits.js';

const at = (line: number, column: number) => ({ line, column });

describe('applyEdits', () => {
  it('applies several edits against the original positions', () => {
    const text = 'name: Orders\nkind: Ouptut\n';
    const out = applyEdits(text, [
      { file: 'f', range: { start: at(1, 7), end: at(1, 13) }, newText: 'orders' },
      { file: 'f', range: { start: at(2, 7), end: at(2, 13) }, newText: 'Output' },
    ]);
    expect(out).toBe('name: orders\nkind: Output\n');
  });

  it('inserts at a position and creates new files', () => {
    const files = new Map([['a.yaml', 'x: 1\n']]);
    const out = applyFix(files, {
      title: 't',
      edits: [
        { file: 'a.yaml', range: { start: at(2, 1), end: at(2, 1) }, newText: 'y: 2\n' },
        { file: 'b.yaml', range: { start: at(1, 1), end: at(1, 1) }, newText: 'new\n' },
      ],
    });
    expect(Object.fromEntries(out)).toEqual({ 'a.yaml': 'x: 1\ny: 2\n', 'b.yaml': 'new\n' });
  });
});
