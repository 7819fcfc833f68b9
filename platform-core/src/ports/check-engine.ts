import type { JsonValue } from '../domain/json.js';

/**
 * Runs quality-check SQL over snapshot files (DuckDB in `adapters/duckdb`). A session binds each
 * relation (`output`, `reference:<product>`) as a view over one Parquet file, then locks itself:
 * the checks' SQL cannot read any other file nor change settings.
 */
export interface CheckRelation {
  /** The view name, e.g. `output` or `reference:stores`. */
  readonly name: string;
  /** Absolute path of a Parquet file. */
  readonly path: string;
}

/** A cell as the engine returns it for evaluation: BIGINT as bigint, DECIMAL/DOUBLE as number. */
export type CheckCell = number | bigint | string | boolean | null;

/** A row as JSON values: BIGINT/DECIMAL as text, dates and timestamps ISO (DuckDB's JSON form). */
export type CheckJsonRow = Readonly<Record<string, JsonValue>>;

export interface CheckQueryResult {
  readonly columns: readonly string[];
  /** Cells for evaluation (numbers stay numbers). */
  readonly rows: readonly Readonly<Record<string, CheckCell>>[];
  /** The same rows as JSON values (for samples and storage). */
  readonly json: readonly CheckJsonRow[];
}

export interface CheckQueryOptions {
  /**
   * The statement is a built-in check exactly as the plan generator writes it, grouping by key
   * columns with only a count (uniqueness): the engine may group dense integer keys by direct
   * index. Never set for user SQL (custom_sql): that table is sized by the key range.
   */
  readonly keyGrouping?: boolean;
}

export interface CheckSession {
  query(sql: string, signal?: AbortSignal, options?: CheckQueryOptions): Promise<CheckQueryResult>;
  /**
   * The rows of `sql` in batches of `batchRows` rows (the last may be shorter), in exactly the
   * JSON form of {@link CheckQueryResult.json}. The engine produces rows as they are read: only
   * the current batch is held in memory. One stream at a time per session; breaking out of the
   * loop ends the read. Aborting `signal` interrupts it with Cancelled `aborted`.
   */
  stream(sql: string, batchRows: number, signal?: AbortSignal): AsyncIterable<readonly CheckJsonRow[]>;
  close(): void;
}

export interface CheckEngine {
  open(
    relations: readonly CheckRelation[],
    limits?: { readonly memoryBytes?: number; readonly threads?: number },
    signal?: AbortSignal,
  ): Promise<CheckSession>;
}
