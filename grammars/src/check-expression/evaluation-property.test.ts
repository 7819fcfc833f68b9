import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCheckExpressions } from './check-expressions.js';
import type { ResultRow, RowValue } from './context.js';

const expressions = createCheckExpressions();

type Row = Readonly<Record<string, RowValue>>;
/** An expression text with a direct computation of its value (SQL semantics, written out plainly). */
interface Case<T> {
  readonly text: string;
  readonly compute: (row: Row) => T;
}
type Num = number | null;
type Bool = boolean | null;

const num = (v: RowValue | undefined): Num => (v === null || v === undefined ? null : Number(v));

const numeric: fc.Arbitrary<Case<Num>> = fc.letrec<{ n: Case<Num> }>((tie) => ({
  n: fc.oneof(
    { depthSize: 'small' },
    fc
      .oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(0.5, 2.25, 1e3))
      .map((v) => ({ text: String(v), compute: () => v })),
    fc.constantFrom('a', 'b', 'c').map((c) => ({ text: c, compute: (row: Row) => num(row[c]) })),
    tie('n').map((x) => ({
      text: `-(${x.text})`,
      compute: (row: Row) => (x.compute(row) === null ? null : -(x.compute(row) as number)),
    })),
    fc.tuple(tie('n'), fc.constantFrom('+', '-', '*', '/'), tie('n')).map(([x, op, y]) => ({
      text: `(${x.text}) ${op} (${y.text})`,
      compute: (row: Row) => {
        const l = x.compute(row);
        const r = y.compute(row);
        if (l === null || r === null) return null;
        if (op === '+') return l + r;
        if (op === '-') return l - r;
        if (op === '*') return l * r;
        return r === 0 ? null : l / r;
      },
    })),
  ),
})).n;

const compareWith = (op: string, l: number, r: number): boolean =>
  op === '='
    ? l === r
    : op === '!=' || op === '<>'
      ? l !== r
      : op === '<'
        ? l < r
        : op === '<='
          ? l <= r
          : op === '>'
            ? l > r
            : l >= r;
const and = (p: Bool, q: Bool): Bool => (p === false || q === false ? false : p === null || q === null ? null : true);
const or = (p: Bool, q: Bool): Bool => (p === true || q === true ? true : p === null || q === null ? null : false);
const not = (p: Bool): Bool => (p === null ? null : !p);
const cmp = (op: string, l: Num, r: Num): Bool => (l === null || r === null ? null : compareWith(op, l, r));

const condition: fc.Arbitrary<Case<Bool>> = fc.letrec<{ b: Case<Bool> }>((tie) => ({
  b: fc.oneof(
    { depthSize: 'small' },
    fc.tuple(numeric, fc.constantFrom('=', '!=', '<>', '<', '<=', '>', '>='), numeric).map(([x, op, y]) => ({
      text: `(${x.text}) ${op} (${y.text})`,
      compute: (row: Row) => cmp(op, x.compute(row), y.compute(row)),
    })),
    fc.tuple(numeric, fc.boolean()).map(([x, negated]) => ({
      text: `(${x.text}) is ${negated ? 'not ' : ''}null`,
      compute: (row: Row) => (x.compute(row) === null) !== negated,
    })),
    fc.tuple(numeric, fc.boolean(), numeric, numeric).map(([x, negated, low, high]) => ({
      text: `(${x.text}) ${negated ? 'not ' : ''}between (${low.text}) and (${high.text})`,
      compute: (row: Row) => {
        const v = x.compute(row);
        const inside = and(cmp('>=', v, low.compute(row)), cmp('<=', v, high.compute(row)));
        return negated ? not(inside) : inside;
      },
    })),
    fc.tuple(numeric, fc.boolean(), fc.array(numeric, { minLength: 1, maxLength: 3 })).map(([x, negated, items]) => ({
      text: `(${x.text}) ${negated ? 'not ' : ''}in (${items.map((i) => `(${i.text})`).join(', ')})`,
      compute: (row: Row) => {
        const v = x.compute(row);
        const found = items.reduce<Bool>((acc, i) => or(acc, cmp('=', v, i.compute(row))), false);
        return negated ? not(found) : found;
      },
    })),
    fc.constantFrom<Case<Bool>>(
      { text: 'true', compute: () => true },
      { text: 'FALSE', compute: () => false },
      { text: 'null', compute: () => null },
      { text: 'ok', compute: (row) => (row['ok'] === undefined ? null : (row['ok'] as Bool)) },
    ),
    tie('b').map((p) => ({ text: `not (${p.text})`, compute: (row: Row) => not(p.compute(row)) })),
    fc.tuple(tie('b'), fc.constantFrom('and', 'OR'), tie('b')).map(([p, op, q]) => ({
      text: `(${p.text}) ${op} (${q.text})`,
      compute: (row: Row) => (op === 'and' ? and(p.compute(row), q.compute(row)) : or(p.compute(row), q.compute(row))),
    })),
  ),
})).b;

const value = fc.option(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(0.5, -2.5, 0)), { nil: null });
const bigValue = fc.option(fc.bigInt(-5n, 5n), { nil: null });
const row: fc.Arbitrary<ResultRow> = fc.record({
  a: fc.oneof(value, bigValue),
  b: value,
  c: fc.oneof(value, bigValue),
  ok: fc.option(fc.boolean(), { nil: null }),
});

describe('evaluation', () => {
  it('agrees with a direct computation, nulls included', () => {
    fc.assert(
      fc.property(condition, row, (c, r) => {
        const expected = c.compute(r);
        const result = expressions.evaluate(c.text, r);
        expect(result.error, c.text).toBeUndefined();
        expect(
          result.value,
          `${c.text} on ${JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`,
        ).toBe(expected);
        expect(result.pass).toBe(expected === true);
      }),
      { numRuns: 3000 },
    );
  });

  it('explains a failure with the values it read', () => {
    fc.assert(
      fc.property(condition, row, (c, r) => {
        const result = expressions.evaluate(c.text, r);
        for (const { name, value } of result.values) {
          expect(r[name]).toBe(value);
          expect(result.explanation).toContain(`${name} = ${value === null ? 'null' : String(value)}`);
        }
        if (!result.pass) expect(result.explanation).toContain('expected');
      }),
      { numRuns: 500 },
    );
  });
});
