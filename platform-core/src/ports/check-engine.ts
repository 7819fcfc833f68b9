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

export interface CheckQueryResult {
  readonly columns: readonly string[];
  /** Cells for evaluation (numbers stay numbers). */
  readonly rows: readonly Readonly<Record<string, CheckCell>>[];
  /** The same rows as JSON values (for samples and storage). */
  readonly json: readonly Readonly<Record<string, JsonValue>>[];
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
  close(): void;
}

export interface CheckEngine {
  open(
    relations: readonly CheckRelation[],
    limits?: { readonly memoryBytes?: number; readonly threads?: number },
    signal?: AbortSignal,
  ): Promise<CheckSession>;
}
