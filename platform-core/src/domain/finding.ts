/**
 * A finding is the data every front-end (CLI, language server, MCP server, deploy) shows.
 * Positions are 1-based lines and 1-based columns counted in UTF-16 code units, so the
 * language server maps them to LSP positions by subtracting one.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface TextRange {
  readonly start: Position;
  readonly end: Position;
}

/** One text replacement inside one file (path relative to the workspace root). */
export interface TextEdit {
  readonly file: string;
  readonly range: TextRange;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface FindingProduct {
  /** `metadata.name` when it could be read, otherwise null. */
  readonly name: string | null;
  /** The product folder relative to the workspace root ('.' for the root itself). */
  readonly folder: string;
}

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly product: FindingProduct | null;
  /** Path relative to the workspace root, with forward slashes. */
  readonly file: string;
  /** JSON pointer into the manifest ('' for the whole file). */
  readonly path: string;
  readonly range: TextRange;
  readonly message: string;
  readonly hint: string;
  readonly fix?: Fix;
}

export const ZERO_RANGE: TextRange = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable ordering: file, then position, then severity, then code. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
