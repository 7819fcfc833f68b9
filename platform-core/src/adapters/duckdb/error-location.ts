import type { EngineErrorLocation, ExpressionSpan } from '../../ports/engine.js';

/** Turns DuckDB's error text into a position in the logic file. */

export interface SqlLocation extends EngineErrorLocation {
  /** How the position was found: DuckDB's own, or the select expression of a named column. */
  readonly source: 'engine' | 'expression';
}

/** 1-based line and column (UTF-16) of an offset in a text. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** The first line of a DuckDB message (without the `LINE n:` excerpt). */
export function headline(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

/**
 * DuckDB ends positioned errors with `LINE n: <excerpt>` and a caret line. `lineOffset` is the
 * number of lines the engine added before the user's SQL.
 */
export function engineLocation(
  message: string,
  sql: string,
  file: string,
  lineOffset: number,
): SqlLocation | undefined {
  const lines = message.split('\n');
  const at = lines.findIndex((l) => /^LINE \d+: /.test(l));
  if (at < 0) return undefined;
  const head = /^LINE (\d+): /.exec(lines[at] ?? '');
  const caretLine = lines[at + 1] ?? '';
  if (!head) return undefined;
  const line = Number(head[1]) - lineOffset;
  const sqlLine = sql.split('\n')[line - 1];
  if (line < 1 || sqlLine === undefined) return undefined;
  const caret = caretLine.indexOf('^');
  let excerpt = (lines[at] ?? '').slice(head[0].length);
  let column = caret < 0 ? 1 : caret - head[0].length + 1;
  if (excerpt.startsWith('...')) {
    excerpt = excerpt.slice(3);
    column -= 3;
    const start = sqlLine.indexOf(excerpt.replace(/\.\.\.$/, '').slice(0, 40));
    column += start < 0 ? 0 : start;
  }
  return { file, line, column: Math.max(1, column), source: 'engine' };
}

/** Column names a DuckDB message mentions: `source column x`, `column "x"`, `Referenced column "x"`. */
export function mentionedColumns(message: string): string[] {
  const out: string[] = [];
  for (const m of message.matchAll(/(?:source column|column) "?([A-Za-z_][\w$]*)"?/g)) if (m[1]) out.push(m[1]);
  return out;
}

/** The select expression producing (or reading) one of the named columns. */
export function expressionLocation(
  sql: string,
  file: string,
  spans: readonly ExpressionSpan[] | undefined,
  columns: readonly string[],
): SqlLocation | undefined {
  if (!spans) return undefined;
  for (const name of columns) {
    const lower = name.toLowerCase();
    const span =
      spans.find((s) => s.name?.toLowerCase() === lower) ??
      spans.find((s) =>
        new RegExp(`(^|[^\\w])"?${lower.replace(/[$]/g, '\\$')}"?([^\\w]|$)`, 'i').test(sql.slice(s.start, s.end)),
      );
    if (span) return { file, ...lineColumnAt(sql, span.start), source: 'expression' };
  }
  return undefined;
}

/** The offending value DuckDB quotes in a conversion error (`Could not convert string 'x' to …`). */
export function offendingValue(message: string): string | undefined {
  return /Could not convert (?:string )?'((?:[^']|'')*)'/.exec(message)?.[1]?.replace(/''/g, "'");
}
