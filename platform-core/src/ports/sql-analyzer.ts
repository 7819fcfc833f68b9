import type { DirectSubtype, IndirectSubtype, LineageSubtype } from '../domain/lineage/lineage-kinds.js';

/** What the validator needs to know about a SQL transform, independent of the parser used. */
export interface SqlSpan {
  /** Character offsets into the SQL text, [start, end). */
  readonly start: number;
  readonly end: number;
}

export interface SqlTableRef extends SqlSpan {
  /** Table name as the parser resolved it (unquoted identifiers are lower-cased). */
  readonly name: string;
  readonly schema?: string;
  readonly alias?: string;
  readonly quoted: boolean;
}

/** An input column that a value derives from; the span is where the SQL reads it. */
export interface SqlLineageEdge<S extends LineageSubtype = LineageSubtype> extends SqlSpan {
  /** The physical table (an input's table name) and its column. */
  readonly table: string;
  readonly column: string;
  readonly subtype: S;
}

/** Where one output column's values come from (direct) and what decides them (indirect). */
export interface SqlColumnLineage {
  readonly direct: readonly SqlLineageEdge<DirectSubtype>[];
  readonly indirect: readonly SqlLineageEdge<IndirectSubtype>[];
}

export interface SqlOutputColumn extends SqlSpan {
  /** The column name of the final SELECT, or null for an expression without alias. */
  readonly name: string | null;
  /** The written expression text. */
  readonly expression: string;
  /** True for `*` or `t.*` that could not be expanded. */
  readonly star: boolean;
  /** The column's lineage, when the analyzer computes it (undefined: unknown). */
  readonly lineage?: SqlColumnLineage;
}

/** One statement of the text; the span runs from its first token to its last (the `;` excluded). */
export interface SqlStatement extends SqlSpan {
  /** The parse-tree node type: `SelectStmt`, `InsertStmt`, `DeleteStmt`, `CopyStmt`, `LoadStmt`, … */
  readonly type: string;
}

/** A function called as a FROM item (`read_csv('x.csv')`, `generate_series(1, 3)`); the span covers the call. */
export interface SqlTableFunction extends SqlSpan {
  /** The function name as the parser gives it (unquoted identifiers lower-cased), without its schema. */
  readonly name: string;
  readonly schema?: string;
}

export interface SqlSyntaxError extends SqlSpan {
  readonly message: string;
}

/** A construct of the engine's dialect that other engines (Spark SQL) lack. */
export interface SqlDialectFeature extends SqlSpan {
  readonly feature: string;
}

export interface SqlAnalysis {
  readonly error?: SqlSyntaxError;
  /** Number of statements in the text. */
  readonly statementCount: number;
  /** Whether the (single) statement is a query (SELECT, VALUES, WITH … SELECT, set operation). */
  readonly isQuery: boolean;
  /** Physical tables read (CTE names excluded). */
  readonly tables: readonly SqlTableRef[];
  readonly ctes: readonly string[];
  /** The final SELECT's columns, in order. */
  readonly outputColumns: readonly SqlOutputColumn[];
  /**
   * Column reads attributed to physical tables: `table` is the name of the table as referenced,
   * `column` the column. Only reads whose source is certain are listed.
   */
  readonly columnReads: readonly (SqlSpan & { readonly table: string; readonly column: string })[];
  /** Unqualified column reads whose source could be any of several physical tables. */
  readonly ambiguousReads: readonly (SqlSpan & { readonly tables: readonly string[]; readonly column: string })[];
  /** Whether the final SELECT uses `*` from a table whose columns are unknown to the analyzer. */
  readonly usesStar: boolean;
  /** The statements in order (empty with a syntax error; absent when the analyzer does not report them). */
  readonly statements?: readonly SqlStatement[];
  /** Functions used as FROM items anywhere in the text (absent when the analyzer does not report them). */
  readonly tableFunctions?: readonly SqlTableFunction[];
  /**
   * Dataset-level indirect lineage: input columns that decide which rows the output has
   * (WHERE, HAVING, QUALIFY: FILTER; JOIN ON / USING: JOIN; GROUP BY; ORDER BY: SORT).
   */
  readonly datasetLineage?: readonly SqlLineageEdge<IndirectSubtype>[];
  /** DuckDB-only constructs used (QUALIFY, EXCLUDE, lambdas, list literals …), for other engines. */
  readonly dialectFeatures?: readonly SqlDialectFeature[];
}

/** Columns of the physical tables, for star expansion and column attribution. */
export type TableColumns = (table: string) => readonly string[] | undefined;

export interface SqlAnalyzer {
  /** Starts the parser; call once before analyze. */
  ready(): Promise<void>;
  /**
   * Parses texts ahead in one batch (e.g. every logic file of a workspace), so that analyzing
   * them later costs no parser round trip. Optional: analyze works on any text without it.
   */
  prepare?(texts: readonly string[]): Promise<void>;
  analyze(sql: string, tableColumns: TableColumns): SqlAnalysis;
}
