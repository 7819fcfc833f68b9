/**
 * Helpers shared by the rules of the 'logic' family. All are defensive: they never throw on a
 * missing or malformed manifest or on an unusual analysis.
 */
import type { Fix } from '../../../../domain/finding.js';
import type { SqlAnalysis, SqlOutputColumn, SqlSpan } from '../../../../ports/sql-analyzer.js';
import type { LogicSource, SqlLogic } from '../../logic-context.js';
import { inputList, isObject, valueOf, type InputView } from '../../product-unit.js';
import { resolveInput } from '../../workspace-index.js';
import type { ProductRuleContext, Target } from '../../rule.js';
import { statementHeads } from './sql-text.js';

/** A target on a span of the logic file. */
export function logicTarget(logic: LogicSource, start: number, end: number): Target {
  return { file: logic.file, range: logic.lines.range(start, end), path: '' };
}

/** A fix replacing a span of the logic file. */
export function logicFix(logic: LogicSource, start: number, end: number, newText: string, title: string): Fix {
  return { title, edits: [{ file: logic.file, range: logic.lines.range(start, end), newText }] };
}

/** The SQL logic with its analysis, or undefined when absent, not SQL, or the analyzer failed. */
export function sqlLogicOf(ctx: ProductRuleContext): SqlLogic | undefined {
  try {
    return ctx.sqlLogic();
  } catch {
    return undefined; // an analyzer bug must not take the whole validation down
  }
}

/** PostgreSQL's reserved key words (and those reserved as function or type names). */
const RESERVED = new Set(
  `all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column
  concurrently constraint create cross current_catalog current_date current_role current_schema current_time
  current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze
  from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit
  localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references
  returning right select session_user similar some symmetric system_user table tablesample then to trailing true union
  unique user using variadic verbose when where window with`.split(/\s+/),
);

/** A name as SQL text: bare when it is a plain lower-case identifier, else double-quoted. */
export function sqlIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** The table name the logic should use for an input: the underscore form, quoted when it must be. */
export function tableNameFor(inputId: string): string {
  return sqlIdentifier(inputId.replace(/-/g, '_'));
}

/** The identifier a token names: quoted ones as written, unquoted ones lower-cased. */
export function identifierOf(token: string): string {
  const t = token.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/""/g, '"');
  return t.toLowerCase();
}

/** DuckDB compares identifiers case-insensitively, quoted or not. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Shortens a piece of SQL for a message. */
export function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The inputs of inputs.yaml with a string id, first declaration of each id only. */
export function uniqueInputs(ctx: ProductRuleContext): InputView[] {
  const seen = new Set<string>();
  return inputList(ctx.unit).filter((i) => {
    if (seen.has(i.id)) return false;
    seen.add(i.id);
    return true;
  });
}

/**
 * The columns of a data_product input, by lower-cased name, when they are certain: the input
 * is a data_product, it resolves to one product of the workspace (the one the SQL analysis
 * used), and that product's output.yaml schema is a non-empty list whose every entry has a
 * name. Undefined otherwise.
 */
export function upstreamColumns(ctx: ProductRuleContext, inputId: string): Map<string, string> | undefined {
  const input = uniqueInputs(ctx).find((i) => i.id === inputId);
  if (input?.type !== 'data_product') return undefined;
  const upstream = resolveInput(ctx.index, ctx.index.summaryOf(ctx.unit), inputId).target;
  if (upstream === undefined || upstream.unit === ctx.unit) return undefined;
  const schema = valueOf(upstream.unit, 'Output')?.['schema'];
  if (!Array.isArray(schema) || schema.length === 0) return undefined;
  if (!schema.every((c) => isObject(c) && typeof c['name'] === 'string' && c['name'] !== '')) return undefined;
  const columns = new Map<string, string>();
  for (const name of upstream.columns.keys())
    if (!columns.has(name.toLowerCase())) columns.set(name.toLowerCase(), name);
  return columns.size > 0 ? columns : undefined;
}

/** Statement types that read or load something from outside the inputs (reported by LOG-011). */
const EXTERNAL_STATEMENT_TYPES: Readonly<Record<string, string>> = {
  CopyStmt: 'COPY',
  LoadStmt: 'LOAD',
  AttachStmt: 'ATTACH',
  DetachStmt: 'DETACH',
  InstallStmt: 'INSTALL',
  ExportStmt: 'EXPORT',
  ImportStmt: 'IMPORT',
};
/** DuckDB statements that the PostgreSQL grammar does not parse, by first word. */
const EXTERNAL_STATEMENT_WORDS = new Set(['attach', 'detach', 'install', 'load', 'copy', 'export', 'import', 'force']);

/** DuckDB table functions that read files, URLs or other databases. */
export const FILE_FUNCTIONS = new Set([
  'read_csv',
  'read_csv_auto',
  'sniff_csv',
  'read_parquet',
  'parquet_scan',
  'parquet_metadata',
  'parquet_schema',
  'parquet_file_metadata',
  'parquet_kv_metadata',
  'read_json',
  'read_json_auto',
  'read_json_objects',
  'read_json_objects_auto',
  'read_ndjson',
  'read_ndjson_auto',
  'read_ndjson_objects',
  'read_text',
  'read_blob',
  'read_xlsx',
  'read_avro',
  'glob',
  'st_read',
  'iceberg_scan',
  'iceberg_metadata',
  'iceberg_snapshots',
  'delta_scan',
  'postgres_scan',
  'postgres_scan_pushdown',
  'postgres_query',
  'mysql_query',
  'sqlite_scan',
]);

/** A table name that DuckDB would read as a file (replacement scan): a path, a URL, a file extension. */
const FILE_LIKE =
  /[/\\]|:\/\/|\.(csv|tsv|txt|parquet|json|jsonl|ndjson|xlsx|xls|arrow|feather|avro|orc|db|duckdb|sqlite|gz|zst|bz2|xz)$/i;

export interface ExternalRead extends SqlSpan {
  readonly kind: 'function' | 'path' | 'literal' | 'statement';
  /** The function name, the path or the statement keyword. */
  readonly what: string;
  /** The text at the span, for messages. */
  readonly text: string;
}

export interface ExternalReads {
  readonly reads: readonly ExternalRead[];
  /** True when the syntax error is one of the reads (a DuckDB-only statement, a file literal in FROM). */
  readonly claimsError: boolean;
}

const externalCache = new WeakMap<SqlAnalysis, ExternalReads>();

/** What the SQL reads besides its inputs (files, URLs, extensions, attached databases). */
export function externalReads(logic: SqlLogic): ExternalReads {
  const cached = externalCache.get(logic.analysis);
  if (cached) return cached;
  const { analysis, text } = logic;
  const reads: ExternalRead[] = [];
  const add = (kind: ExternalRead['kind'], what: string, start: number, end: number) =>
    reads.push({ kind, what, start, end, text: text.slice(start, end) });
  let claimsError = false;
  const error = analysis.error;
  if (error === undefined) {
    for (const fn of analysis.tableFunctions ?? []) {
      if (FILE_FUNCTIONS.has(fn.name.toLowerCase())) add('function', fn.name.toLowerCase(), fn.start, fn.end);
    }
    for (const table of analysis.tables) {
      if (table.schema === undefined && logic.inputOf(table.name) === undefined && FILE_LIKE.test(table.name))
        add('path', table.name, table.start, table.end);
    }
    for (const statement of analysis.statements ?? []) {
      const written = EXTERNAL_STATEMENT_TYPES[statement.type];
      const keyword = /^force\b/i.test(text.slice(statement.start, statement.end)) ? 'FORCE INSTALL' : written;
      if (keyword !== undefined && written !== undefined) add('statement', keyword, statement.start, statement.end);
    }
  } else {
    // The parser stopped at the error; look at the text itself.
    const token = text.slice(error.start, error.end);
    if (/^[eE]?'/.test(token) && /\b(from|join)\s*$/i.test(text.slice(0, error.start))) {
      const literal = /^[eE]?'((?:[^']|'')*)'?/.exec(token);
      add('literal', (literal?.[1] ?? token).replace(/''/g, "'"), error.start, error.end);
      claimsError = true;
    }
    for (const head of statementHeads(text)) {
      if (!EXTERNAL_STATEMENT_WORDS.has(head.word)) continue;
      // `FORCE INSTALL x`: the statement is named by its second word.
      const second = /^\s+([A-Za-z_]+)/.exec(text.slice(head.wordEnd))?.[1]?.toLowerCase();
      if (head.word === 'force' && second !== 'install') continue;
      add('statement', head.word === 'force' ? 'FORCE INSTALL' : head.word.toUpperCase(), head.start, head.end);
      if (error.start >= head.start && error.start <= head.end) claimsError = true;
    }
  }
  reads.sort((a, b) => a.start - b.start || a.end - b.end);
  const result = { reads, claimsError };
  externalCache.set(analysis, result);
  return result;
}

/** The statements of a parsed text that are not claimed by LOG-011 (COPY, LOAD), when the analyzer reports them. */
export function ownStatements(analysis: SqlAnalysis): SqlAnalysis['statements'] {
  return analysis.statements?.filter((s) => EXTERNAL_STATEMENT_TYPES[s.type] === undefined);
}

/** Whether an offset lies in a statement that is not a query (INSERT, DELETE, CREATE …). */
export function inNonQueryStatement(analysis: SqlAnalysis, offset: number): boolean {
  return (analysis.statements ?? []).some((s) => s.type !== 'SelectStmt' && offset >= s.start && offset < s.end);
}

/**
 * The columns of the final SELECT, when the text parsed and its last statement is a query
 * (whose result becomes the output). Undefined otherwise.
 */
export function finalSelect(analysis: SqlAnalysis): readonly SqlOutputColumn[] | undefined {
  if (analysis.error !== undefined || analysis.statementCount === 0) return undefined;
  const statements = analysis.statements;
  if (statements !== undefined) {
    const last = statements[statements.length - 1];
    if (last?.type !== 'SelectStmt') return undefined;
  } else if (!analysis.isQuery) return undefined;
  return analysis.outputColumns;
}

/** The declared output contract: the named columns, and whether every schema entry has a name. */
export function outputContract(
  ctx: ProductRuleContext,
): { columns: { index: number; name: string }[]; complete: boolean } | undefined {
  const schema = valueOf(ctx.unit, 'Output')?.['schema'];
  if (!Array.isArray(schema)) return undefined;
  const columns: { index: number; name: string }[] = [];
  let complete = true;
  schema.forEach((raw: unknown, index) => {
    const name = isObject(raw) ? raw['name'] : undefined;
    if (typeof name === 'string' && name !== '') columns.push({ index, name });
    else complete = false;
  });
  return { columns, complete };
}

/** Output columns (first of each name) that the final SELECT does not produce, in output.yaml order. */
export function missingOutputColumns(
  contract: { columns: readonly { index: number; name: string }[] },
  select: readonly SqlOutputColumn[],
): { index: number; name: string }[] {
  const produced = new Set(select.flatMap((c) => (c.name === null ? [] : [c.name.toLowerCase()])));
  const seen = new Set<string>();
  return contract.columns.filter((c) => {
    const key = c.name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return !produced.has(key);
  });
}

/** The span of a select item's alias (`x AS alias`, `x alias`), when it has one. */
export function aliasSpan(logic: LogicSource, column: SqlOutputColumn): SqlSpan | undefined {
  const item = logic.text.slice(column.start, column.end);
  const expression = column.expression;
  if (expression === '' || item.length <= expression.length || !item.startsWith(expression)) return undefined;
  const rest = item.slice(expression.length);
  const m = /^(\s+(?:as\s+)?)("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)\s*$/i.exec(rest);
  if (!m) return undefined;
  const start = column.start + expression.length + (m[1]?.length ?? 0);
  return { start, end: start + (m[2]?.length ?? 0) };
}

/** Whether a select item comes from a star (`*`, `t.*`), expanded or not. */
export function fromStar(column: SqlOutputColumn): boolean {
  return column.star || /(^|\.)\s*\*$/.test(column.expression.trim());
}
