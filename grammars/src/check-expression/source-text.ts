import type { AstNode } from 'langium';
import { isArithmeticExpression, isLogicalExpression } from '../generated/ast.js';

/**
 * Offsets [start, end) of a node in the expression text, parentheses around it included.
 *
 * Langium's infix rules (`and`/`or`, `+ - * /`) parse an operator chain flat and then split it
 * by precedence; the nodes made by the split share the chain's CST node (which belongs to the
 * chain's top node). Their range is therefore taken from their operands, whose CST is their own.
 */
export function rangeOf(node: AstNode): [number, number] {
  const cst = node.$cstNode;
  if (!cst) return [0, 0];
  if (cst.astNode !== node && (isLogicalExpression(node) || isArithmeticExpression(node))) {
    return [rangeOf(node.left)[0], rangeOf(node.right)[1]];
  }
  return [cst.offset, cst.end];
}

/** The source text of a node on one line, shortened past 40 characters, for messages. */
export function describe(text: string, node: AstNode): string {
  const [start, end] = rangeOf(node);
  const source = oneLine(text.slice(start, end));
  return source.length > 40 ? `${source.slice(0, 37)}...` : source;
}

/** Text with each line break (and the indentation around it) turned into one space. */
export function oneLine(text: string): string {
  return text.trim().replace(/[ \t]*\r?\n\s*/g, ' ');
}
