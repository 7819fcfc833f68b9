import { hasSqlDetails, loadModule, parseSync, type ParseResult, type RawStmt } from 'libpg-query';
import type {
  SqlAnalysis,
  SqlAnalyzer,
  SqlOutputColumn,
  SqlSpan,
  SqlStatement,
  SqlSyntaxError,
  TableColumns,
} from '../../ports/sql-analyzer.js';
import { Findings } from './findings.js';
import { QueryWalker } from './query-walker.js';
import type { OutputItem } from './sql-scope.js';
import { SqlTokens } from './sql-tokens.js';
import { TextOffsets } from './text-offsets.js';

/** The analysis of an empty text, and the other fields of one with a syntax error. */
const EMPTY: SqlAnalysis = {
  statementCount: 0,
  isQuery: false,
  tables: [],
  ctes: [],
  outputColumns: [],
  columnReads: [],
  ambiguousReads: [],
  usesStar: false,
  statements: [],
  tableFunctions: [],
};

/**
 * The SQL analyzer on the PostgreSQL parser (libpg-query, WASM). Transforms are DuckDB SQL; the
 * common subset parses the same, and DuckDB-only syntax is reported as a syntax error.
 */
export class PgSqlAnalyzer implements SqlAnalyzer {
  private loading: Promise<void> | undefined;
  private loaded = false;

  ready(): Promise<void> {
    this.loading ??= loadModule().then(
      () => {
        this.loaded = true;
      },
      (error: unknown) => {
        this.loading = undefined; // let a later call retry
        throw error;
      },
    );
    return this.loading;
  }

  analyze(sql: string, tableColumns: TableColumns): SqlAnalysis {
    if (!this.loaded) throw new Error('PgSqlAnalyzer.analyze() called before ready() resolved');
    const offsets = new TextOffsets(sql);
    if (sql === '') return EMPTY;
    let tree: ParseResult;
    try {
      tree = parseSync(sql);
    } catch (error) {
      return { ...EMPTY, error: syntaxError(error, offsets) };
    }
    return analyzeTree(tree, offsets, tableColumns);
  }
}

function analyzeTree(tree: ParseResult, offsets: TextOffsets, tableColumns: TableColumns): SqlAnalysis {
  const statements = tree.stmts ?? [];
  const findings = new Findings();
  const tokens = SqlTokens.scan(offsets) ?? SqlTokens.empty();
  const walker = new QueryWalker({ offsets, tokens, tableColumns, findings });
  let outputs: OutputItem[] | undefined;
  for (const statement of statements)
    outputs = statement.stmt === undefined ? undefined : walker.statement(statement.stmt);
  const outputColumns = (outputs ?? []).map(toOutputColumn);
  return {
    statementCount: statements.length,
    isQuery: statements.length === 1 && outputs !== undefined,
    tables: bySpan(findings.tables),
    ctes: [...new Set(findings.ctes)],
    outputColumns,
    columnReads: bySpan(findings.reads),
    ambiguousReads: bySpan(findings.ambiguous),
    usesStar: outputColumns.some((c) => c.star),
    statements: statements.map((s) => statementOf(s, offsets, tokens)),
    tableFunctions: bySpan(findings.tableFunctions),
  };
}

/** A statement's type and span: its location and length are in bytes, the length 0 (absent) up to the end. */
function statementOf(raw: RawStmt, offsets: TextOffsets, tokens: SqlTokens): SqlStatement {
  const type = raw.stmt === undefined ? 'unknown' : (Object.keys(raw.stmt)[0] ?? 'unknown');
  const location = raw.stmt_location ?? 0;
  const start = offsets.fromByte(location);
  const end = raw.stmt_len ? offsets.fromByte(location + raw.stmt_len) : offsets.text.length;
  return { type, ...(tokens.within(start, end) ?? { start, end }) };
}

function toOutputColumn(item: OutputItem): SqlOutputColumn {
  return { name: item.name, expression: item.expression, star: item.star, start: item.start, end: item.end };
}

/** The error libpg-query threw, with a span on the offending token (its cursor counts code points). */
function syntaxError(error: unknown, offsets: TextOffsets): SqlSyntaxError {
  const details = hasSqlDetails(error) ? error.sqlDetails : undefined;
  const message = details?.message ?? (error instanceof Error ? error.message : String(error));
  return syntaxErrorAt(message, details?.cursorPosition ?? 0, offsets);
}

function syntaxErrorAt(message: string, cursorPosition: number, offsets: TextOffsets): SqlSyntaxError {
  return { message, ...errorSpan(offsets, offsets.fromCodePoint(cursorPosition)) };
}

/** The token at the error position; at the end of the input, the last token written. */
function errorSpan(offsets: TextOffsets, position: number): SqlSpan {
  const text = offsets.text;
  const contentEnd = text.trimEnd().length;
  if (contentEnd === 0) return { start: 0, end: text.length };
  const atEnd = position >= contentEnd;
  const at = atEnd ? contentEnd - 1 : Math.max(0, position);
  const tokens = SqlTokens.scan(offsets);
  const token = atEnd ? tokens?.lastBefore(contentEnd) : tokens?.tokenAt(at);
  if (token !== undefined) return { start: token.start, end: token.end };
  // The scanner rejects the text (e.g. an unterminated string): take the run of non-blank characters.
  let start = at;
  if (atEnd) while (start > 0 && !isBlank(text[start - 1])) start--;
  let end = at + 1;
  while (end < text.length && !isBlank(text[end])) end++;
  return { start, end };
}

function isBlank(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

function bySpan<T extends SqlSpan>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.start - b.start || a.end - b.end);
}
