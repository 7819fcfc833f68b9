// fast-check generators of expressions, for the property tests.
import fc from 'fast-check';

/** A syntax tree as plain data (what the parser yields once `$`-properties are dropped). */
export type Tree = { readonly $type: string; readonly [key: string]: unknown };

const plainName = fc.stringMatching(/^[_a-zA-Z][_a-zA-Z0-9$]{0,7}$/);
/** Any non-empty name, keywords and odd characters included (printed in double quotes). */
const anyName = fc.oneof(
  plainName,
  fc.constantFrom('and', 'NULL', 'In', 'Odd Name', 'say "hi"', 'ünïcode'),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const nonNegative = fc.oneof(
  fc.nat(),
  fc.double({ min: 0, max: 1e300, noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0)),
  fc.constantFrom(0.5, 1e21, 1.5e-7, 123.25),
);

/** Random syntax trees covering every construct of the language. */
export const arbitraryTree: fc.Arbitrary<Tree> = fc.letrec<{ expr: Tree; leaf: Tree }>((tie) => ({
  leaf: fc.oneof(
    nonNegative.map((value) => ({ $type: 'NumberLiteral', value })),
    fc.string({ maxLength: 6 }).map((value) => ({ $type: 'StringLiteral', value })),
    fc.boolean().map((value) => ({ $type: 'BooleanLiteral', value })),
    fc.constant({ $type: 'NullLiteral' }),
    anyName.map((name) => ({ $type: 'ColumnReference', name })),
  ),
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.record({
      $type: fc.constant('LogicalExpression'),
      left: tie('expr'),
      operator: fc.constantFrom('and', 'or'),
      right: tie('expr'),
    }),
    fc.record({ $type: fc.constant('NotExpression'), operand: tie('expr') }),
    fc.record({
      $type: fc.constant('ComparisonExpression'),
      left: tie('expr'),
      operator: fc.constantFrom('=', '!=', '<>', '<', '<=', '>', '>='),
      right: tie('expr'),
    }),
    fc.record({ $type: fc.constant('IsNullExpression'), operand: tie('expr'), negated: fc.boolean() }),
    fc.record({
      $type: fc.constant('BetweenExpression'),
      operand: tie('expr'),
      negated: fc.boolean(),
      low: tie('expr'),
      high: tie('expr'),
    }),
    fc.record({
      $type: fc.constant('InExpression'),
      operand: tie('expr'),
      negated: fc.boolean(),
      items: fc.array(tie('expr'), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      $type: fc.constant('ArithmeticExpression'),
      left: tie('expr'),
      operator: fc.constantFrom('+', '-', '*', '/'),
      right: tie('expr'),
    }),
    fc.record({ $type: fc.constant('UnaryExpression'), operator: fc.constantFrom('-', '+'), operand: tie('expr') }),
  ),
})).expr;

/** A parsed tree as plain data: `$`-properties (container, CST, …) dropped. */
export function plain(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(plain);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (key === '$type' || !key.startsWith('$')) out[key] = plain(value);
  return out;
}

/** Every node of a tree, the root first. */
export function nodesOf(node: Tree): Tree[] {
  const out: Tree[] = [node];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('$')) continue;
    if (Array.isArray(value)) for (const item of value) out.push(...nodesOf(item as Tree));
    else if (typeof value === 'object' && value !== null && '$type' in value) out.push(...nodesOf(value as Tree));
  }
  return out;
}
