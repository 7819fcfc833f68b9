import { describe, expect, it } from 'vitest';
import type { OutputColumnSpec } from '../../ports/engine.js';
import { compareOutput } from './compare-output.js';

const specs: OutputColumnSpec[] = [
  { name: 'id', type: { kind: 'string' }, primaryKey: true, nullable: false },
  { name: 'x', type: { kind: 'float' }, primaryKey: false, nullable: true },
  { name: 'n', type: { kind: 'integer' }, primaryKey: false, nullable: true },
];

describe('compareOutput', () => {
  it('matches regardless of order when unordered, floats within tolerance, nulls equal', () => {
    const d = compareOutput(
      specs,
      [
        ['a', '0.1', null],
        ['b', '2', '1'],
      ],
      [
        ['b', '2.0000000000001', '1'],
        ['a', '0.1', null],
      ],
      false,
    );
    expect(d.equal).toBe(true);
  });

  it('reports the first out-of-order row when the logic orders its result', () => {
    const d = compareOutput(
      specs,
      [
        ['a', '1', '1'],
        ['b', '1', '1'],
      ],
      [
        ['b', '1', '1'],
        ['a', '1', '1'],
      ],
      true,
    );
    expect(d.equal).toBe(false);
    expect(d.order?.index).toBe(0);
  });

  it('reports missing, extra and changed rows by primary key', () => {
    const d = compareOutput(
      specs,
      [
        ['a', '1', '1'],
        ['b', '1', '1'],
      ],
      [
        ['a', '1', '2'],
        ['c', '1', '1'],
      ],
      false,
    );
    expect(d.changed).toEqual([{ key: { id: 'a' }, cells: [{ column: 'n', expected: '1', actual: '2' }] }]);
    expect(d.missing).toEqual([{ id: 'b', x: '1', n: '1' }]);
    expect(d.extra).toEqual([{ id: 'c', x: '1', n: '1' }]);
  });

  it('compares whole rows as a multiset without a primary key', () => {
    const noKey = specs.map((s) => ({ ...s, primaryKey: false }));
    const d = compareOutput(
      noKey,
      [
        ['a', '1', '1'],
        ['a', '1', '1'],
      ],
      [['a', '1', '1']],
      false,
    );
    expect(d.missing).toHaveLength(1);
    expect(d.extra).toHaveLength(0);
  });
});
