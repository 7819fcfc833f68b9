import type { Expression } from '../generated/ast.js';
import type { Run } from './evaluation-run.js';
import type { ParsedExpression } from './parser.js';
import { formatValue, type Truth } from './sql-values.js';
import { oneLine, rangeOf } from './source-text.js';

/**
 * Says what was read and what was expected:
 * - fail: `failures = 3, expected failures = 0`, plus the unmet parts of an `and` chain;
 * - unknown: the same, saying that a null result fails the check (and why it is null);
 * - pass: `failures = 0: failures = 0 holds`.
 */
export function explain(parsed: ParsedExpression, run: Run, result: Truth): string {
  const expected = oneLine(parsed.text);
  const values = run.values.map((v) => `${v.name} = ${formatValue(v.value)}`).join(', ');
  if (result === true) return `${values ? `${values}: ` : ''}${expected} holds`;
  let text = `${values ? `${values}, ` : ''}expected ${expected}`;
  const ast = parsed.ast;
  const unmet = ast ? unmetConjuncts(parsed.text, ast, run) : [];
  if (unmet.length > 0) text += ` (not met: ${unmet.join('; ')})`;
  if (result === null) {
    const why = run.notes.size > 0 ? [...run.notes].join(', ') : 'a value is null';
    text += `; the result is unknown because ${why}, and an unknown result fails the check`;
  }
  return text;
}

/** The parts of a top-level `a and b and c` that are not true, when there are several parts. */
function unmetConjuncts(text: string, ast: Expression, run: Run): string[] {
  const parts: Expression[] = [];
  const collect = (node: Expression): void => {
    if (node.$type === 'LogicalExpression' && node.operator === 'and') {
      collect(node.left);
      collect(node.right);
    } else parts.push(node);
  };
  collect(ast);
  if (parts.length < 2) return [];
  return parts
    .filter((p) => run.results.get(p) !== true)
    .map((p) => {
      const [start, end] = rangeOf(p);
      const value = run.results.get(p);
      return `${oneLine(text.slice(start, end))} is ${value === undefined ? 'not evaluated' : formatValue(value === null ? null : value)}`;
    });
}
