import type { ColumnType } from '../domain/column-type.js';

/**
 * The engine that runs a product's logic over its inputs and shapes the result to output.yaml
 * (DuckDB in `adapters/duckdb`). One run is isolated: it sees only the inputs it is given.
 */

/** A column of output.yaml, as the engine needs it. */
export interface OutputColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly primaryKey: boolean;
  readonly nullable: boolean;
}

/** A column of an in-memory row set; untyped columns are VARCHAR. */
export interface RowSetColumn {
  readonly name: string;
  readonly type?: ColumnType;
}

/** Which files a file source reads: one `path`, or several `paths` read as one table. */
export type FileLocation =
  | {
      /** Absolute path. */
      readonly path: string;
      readonly paths?: undefined;
    }
  | {
      /** Absolute paths, read as one table (CSV and JSON columns matched by name). */
      readonly paths: readonly string[];
      readonly path?: undefined;
    };

export type FileTableSource = {
  readonly kind: 'file';
  readonly format: 'parquet' | 'csv' | 'json';
  /** Declared types: text formats are read as text and cast to them (timestamps in UTC). */
  readonly columns?: readonly RowSetColumn[];
  /**
   * A single CSV file already sniffed by DuckDB (the connector did, to learn its columns): the
   * `read_csv` options after the path, as `sniff_csv` wrote them (`auto_detect=false, …`). The
   * engine reads with them instead of sampling the file a second time. Ignored with `columns`.
   */
  readonly csvOptions?: string;
} & FileLocation;

export type TableSource =
  | FileTableSource
  | {
      readonly kind: 'rows';
      readonly columns: readonly RowSetColumn[];
      readonly rows: readonly Readonly<Record<string, unknown>>[];
    };

/** The files a file source reads, in order. */
export function filePaths(source: FileTableSource): readonly string[] {
  return source.paths === undefined ? [source.path] : source.paths;
}

/** An input of the logic: visible as a table named `id` and as its underscore form. */
export interface BoundInput {
  readonly id: string;
  readonly source: TableSource;
}

/** Where a select expression of the logic sits, for error positions. */
export interface ExpressionSpan {
  readonly name: string | null;
  /** Character offsets into the SQL text, [start, end). */
  readonly start: number;
  readonly end: number;
}

export type EngineLogic =
  | {
      readonly kind: 'sql';
      readonly sql: string;
      /** The logic file, relative to the workspace root (for error positions). */
      readonly file: string;
      /** The final SELECT's expressions (from the SQL analyzer), to locate errors on a column. */
      readonly outputSpans?: readonly ExpressionSpan[];
    }
  /** The result is already a table (what Python wrote, an expected output): shape it only. */
  | { readonly kind: 'table'; readonly source: TableSource; readonly file?: string };

export interface EngineLimits {
  readonly memoryBytes?: number;
  readonly threads?: number;
  readonly timeoutMs?: number;
}

export interface EngineRequest {
  readonly logic: EngineLogic;
  readonly inputs: readonly BoundInput[];
  readonly output: readonly OutputColumnSpec[];
  /** Write the shaped result here as Parquet (absolute path). */
  readonly outputPath?: string;
  /** Return the shaped rows (cells as the engine prints the declared types; null for NULL). */
  readonly collectRows?: boolean;
  readonly limits?: EngineLimits;
  readonly signal?: AbortSignal;
}

export interface EngineResult {
  readonly rowCount: number;
  readonly columns: readonly string[];
  readonly rows?: readonly (readonly (string | null)[])[];
  readonly outputPath?: string;
  /** Whether the SQL's top-level query has an ORDER BY (the row order is then meaningful). */
  readonly ordered: boolean;
  /**
   * How output.yaml's primary key was shown unique: `checked` on the written rows, or `proven` by
   * the logic itself (its GROUP BY keys are the key columns); absent when there is no key.
   */
  readonly primaryKey?: 'checked' | 'proven';
}

/** The location an engine error points at (1-based line and column, UTF-16). */
export interface EngineErrorLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** An input written out as JSON lines, for logic that runs in another process. */
export interface ExportedInput {
  readonly id: string;
  readonly path: string;
  readonly columns: readonly string[];
}

export interface Engine {
  run(request: EngineRequest): Promise<EngineResult>;
  /** Writes each input as a JSON-lines file into `dir` (values as the engine prints them). */
  exportInputs(inputs: readonly BoundInput[], dir: string, signal?: AbortSignal): Promise<ExportedInput[]>;
}
