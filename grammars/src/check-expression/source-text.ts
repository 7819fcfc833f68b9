import type { AstNode } from 'langium';

/** Offsets [start, end) of a node in the expression text. */
export function rangeOf(node: AstNode): [number, number] {
  const cst = node.$cstNode;
  return cst ? [cst.offset, cst.end] : [0, 0];
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
