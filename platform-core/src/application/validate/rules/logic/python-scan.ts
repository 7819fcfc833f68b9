/**
 * A line-based scan of a Python module for what the logic rules need: the functions it defines
 * and whether `transform` is bound at the top level. It tracks strings (single, triple-quoted,
 * with prefixes) and comments so that text inside them is not taken for code; it is not a parser.
 */

export interface PythonDef {
  readonly name: string;
  /** Offsets of the name in the text. */
  readonly start: number;
  readonly end: number;
  /** Indentation of the `def` (0 at the top level). */
  readonly indent: number;
  /** Inside a class or function body: the name is not bound at module level. */
  readonly inScope: boolean;
}

export interface PythonScan {
  readonly defs: readonly PythonDef[];
  /** `transform` is bound at the top level: `def`, `async def`, an assignment or an import. */
  readonly topLevelTransform: boolean;
  /** The scan ended inside a string or a bracket: the text is incomplete and the scan uncertain. */
  readonly uncertain: boolean;
}

const DEF = /^((?:async[ \t]+)?def[ \t]+)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/;
const ASSIGNED = /^transform[ \t]*(?::[^=]*)?=(?!=)/;
/** `transform` bound by a `from … import` name list (`transform`, `x as transform`, `*`), not `transform as y`. */
const FROM_IMPORT_NAME =
  /(?:^|[\s,(])(?:(?:[A-Za-z_][A-Za-z0-9_]*[ \t]+as[ \t]+)?transform(?![ \t]+as[ \t])(?=[\s,)]|$)|\*)/;
const IMPORT_NAME = /(?:^|,)\s*(?:\S+\s+as\s+)?transform\s*(?:,|$)/;

/** Scans a Python module. */
export function scanPython(text: string): PythonScan {
  const defs: PythonDef[] = [];
  let topLevelTransform = false;
  /** The closing delimiter of the triple-quoted string the scan is in, if any. */
  let inTriple: string | undefined;
  let depth = 0;
  /** The previous line ended with a backslash: this one continues it. */
  let continued = false;
  /** A `from … import (` whose names continue on the next lines. */
  let importing = false;
  /** Open blocks, innermost last; `scope` for class and def bodies (whose names are not module-level). */
  const blocks: { indent: number; scope: boolean }[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    // Only lines that start outside a string and outside brackets can start a statement.
    const startsStatement = inTriple === undefined && depth === 0 && !continued;
    const state = codeOf(line, inTriple, depth);
    inTriple = state.inTriple;
    depth = state.depth;
    const code = state.code;
    continued = state.inTriple === undefined && /\\\s*$/.test(code);
    if (importing) {
      if (FROM_IMPORT_NAME.test(code)) topLevelTransform = true;
      if (depth === 0) importing = false;
      continue;
    }
    const trimmed = code.trim();
    if (!startsStatement || trimmed === '') continue;
    const indent = indentOf(code);
    while (blocks.length > 0 && blocks[blocks.length - 1]!.indent >= indent) blocks.pop();
    const inScope = blocks.some((b) => b.scope);
    const def = DEF.exec(trimmed);
    const scope = def !== null || /^class\b/.test(trimmed);
    if (scope || trimmed.endsWith(':')) blocks.push({ indent, scope });
    if (def) {
      const name = def[2] ?? '';
      const nameStart = lineStart + code.indexOf(trimmed) + (def[1] ?? '').length;
      defs.push({ name, start: nameStart, end: nameStart + name.length, indent, inScope });
      if (name === 'transform' && !inScope) topLevelTransform = true;
      continue;
    }
    if (inScope) continue;
    if (ASSIGNED.test(trimmed)) topLevelTransform = true;
    const imported = /^(from[ \t]+\S+[ \t]+)?import[ \t]+(.*)$/.exec(trimmed);
    if (imported) {
      const names = imported[2] ?? '';
      if (imported[1] !== undefined ? FROM_IMPORT_NAME.test(names) : IMPORT_NAME.test(names)) topLevelTransform = true;
      if (imported[1] !== undefined && depth > 0) importing = true;
    }
  }
  return { defs, topLevelTransform, uncertain: inTriple !== undefined || depth > 0 };
}

function indentOf(code: string): number {
  const lead = /^[ \t]*/.exec(code)?.[0] ?? '';
  return lead.replace(/\t/g, '        ').length;
}

/** One line with its strings blanked and its comment removed, and the string/bracket state after it. */
function codeOf(
  line: string,
  inTriple: string | undefined,
  depth: number,
): { code: string; inTriple: string | undefined; depth: number } {
  let code = '';
  let i = 0;
  let triple = inTriple;
  let d = depth;
  while (i < line.length) {
    if (triple !== undefined) {
      const close = findClose(line, i, triple);
      if (close < 0) return { code, inTriple: triple, depth: d };
      code += ' '.repeat(close + 3 - i);
      i = close + 3;
      triple = undefined;
      continue;
    }
    const c = line[i]!;
    if (c === '#') break;
    const quote = stringStart(line, i);
    if (quote !== undefined) {
      const { open, delimiter } = quote;
      if (delimiter.length === 3) {
        triple = delimiter;
        code += ' '.repeat(open + 3 - i);
        i = open + 3;
        continue;
      }
      const close = findClose(line, open + 1, delimiter);
      const end = close < 0 ? line.length : close + 1; // an unterminated string ends with its line
      code += ' '.repeat(end - i);
      i = end;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') d++;
    else if ((c === ')' || c === ']' || c === '}') && d > 0) d--;
    code += c;
    i++;
  }
  return { code, inTriple: triple, depth: d };
}

/** A string literal starting at i (with an optional r/b/u/f prefix): where its quote opens and its delimiter. */
function stringStart(line: string, i: number): { open: number; delimiter: string } | undefined {
  const prefix = /^[rRbBuUfFtT]{0,2}(?=['"])/.exec(line.slice(i, i + 3));
  if (!prefix) return undefined;
  if (prefix[0].length > 0 && i > 0 && /[A-Za-z0-9_]/.test(line[i - 1] ?? '')) return undefined; // part of a name
  const open = i + prefix[0].length;
  const q = line[open]!;
  const delimiter = line.startsWith(q.repeat(3), open) ? q.repeat(3) : q;
  return { open, delimiter };
}

/** The index of the closing delimiter at or after `from`, skipping backslash escapes; -1 when not on this line. */
function findClose(line: string, from: number, delimiter: string): number {
  let i = from;
  while (i < line.length) {
    if (line[i] === '\\') {
      i += 2;
      continue;
    }
    if (line.startsWith(delimiter, i)) return i;
    i++;
  }
  return -1;
}
