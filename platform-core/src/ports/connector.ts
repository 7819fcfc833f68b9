import type { JsonObject } from '../domain/json.js';
import type { ConnectionType } from '../domain/manifest/schemas/workspace-config.js';
import type { IngestionStrategy } from '../domain/connectors.js';
import { invalidArgument } from '../domain/errors.js';
import type { FileTableSource } from './engine.js';

/**
 * Connectors extract rows from an external source for one connector input (ADR 0012).
 *
 * THE STATE CONTRACT. `extract` never stores anything: it reads `state` (what the previous
 * committed run left: a cursor high-water mark, the files already seen, the row hashes of the
 * previous snapshot) and returns the extract together with the NEW state. The caller commits the
 * snapshot built from the extract and the new state in one transaction. If anything fails before
 * that commit, the caller keeps the old state, and the next run with it extracts the same rows
 * again: nothing is skipped, and nothing is committed twice. A connector must therefore be a pure
 * function of (source contents, state): it must not advance any cursor on the source side
 * (no consumer offsets, no "mark as read").
 */

/** A connection of hekima.yaml, its `env:NAME` secrets resolved (plaintext only inside SecretValue). */
export interface ResolvedConnection {
  readonly name: string;
  readonly type: ConnectionType;
  /** Settings with every `env:NAME` value replaced by a SecretValue. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** Opaque per-connector state, as JSON (committed with the snapshot). */
export type ConnectorState = JsonObject;

/** What the input asks for: inputs.yaml's `ingestion_strategy` and `ingestion_config`. */
export interface ExtractInput {
  readonly id: string;
  readonly strategy: IngestionStrategy;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface ExtractRequest {
  readonly connection: ResolvedConnection;
  readonly input: ExtractInput;
  /** The state committed by the previous successful run; null on the first run. */
  readonly state: ConnectorState | null;
  /** An existing folder the connector writes its extract into (the caller owns and removes it). */
  readonly workDir: string;
  readonly signal: AbortSignal;
}

/** A column of an extract, with its DuckDB type name (e.g. `BIGINT`, `TIMESTAMP`, `VARCHAR`). */
export interface ExtractColumn {
  readonly name: string;
  readonly type: string;
}

/**
 * How the caller applies the extract to the input's previous snapshot:
 * - `replace`: the extract is the whole data set (full_refresh, api_poll);
 * - `append`: new rows only (incremental over new files without a primary key);
 * - `upsert`: new or changed rows, replacing previous rows with the same `primaryKey`;
 * - `diff`: rows carry `__hekima_op` (`insert` | `update` | `delete`), keyed by `primaryKey`.
 */
export type ExtractMode = 'replace' | 'append' | 'upsert' | 'diff';

/** The column of a `diff` extract that says what happened to the row. */
export const DIFF_OP_COLUMN = '__hekima_op';

export interface Extract {
  /**
   * Where the extract's rows are, as the engine reads them: a Parquet file the connector wrote
   * into `workDir` (`inPlace` false), or the source files themselves (`inPlace` true: full_refresh
   * of local files, no copy).
   */
  readonly source: FileTableSource;
  readonly inPlace: boolean;
  /** Rows extracted; null when read in place (not counted here: the engine counts what it reads). */
  readonly rowCount: number | null;
  readonly columns: readonly ExtractColumn[];
  readonly mode: ExtractMode;
  readonly primaryKey: readonly string[];
  /** The state to commit together with the snapshot built from this extract. */
  readonly state: ConnectorState;
  /**
   * For an extract read in place: re-checks, right before the commit, that the files are still
   * those that were read (size and mtime). Transient `source_changed` if one changed meanwhile:
   * the caller then commits nothing and the run is retried.
   */
  readonly confirm?: (signal: AbortSignal) => Promise<void>;
}

/** The Parquet file of a copied extract; InvalidArgument for an extract read in place. */
export function extractFile(extract: Pick<Extract, 'source' | 'inPlace'>): string {
  const { source } = extract;
  if (extract.inPlace || source.format !== 'parquet' || source.path === undefined)
    throw invalidArgument('extract_in_place', 'This extract is read in place: it has no Parquet copy.');
  return source.path;
}

export interface Connector {
  readonly type: ConnectionType;
  extract(request: ExtractRequest): Promise<Extract>;
  /** Checks that the source is reachable with these settings (a cheap round trip). */
  check(connection: ResolvedConnection, signal: AbortSignal): Promise<void>;
}

/** The connectors of every connection type (unsupported types answer with a typed error). */
export interface Connectors {
  forType(type: ConnectionType): Connector;
}

/** What fitness checks measure on an extract. */
export interface ExtractProfile {
  readonly rowCount: number;
  readonly columns: readonly ExtractColumn[];
  /** NULL count per requested column (absent when the column does not exist). */
  readonly nulls: Readonly<Record<string, number>>;
  /** Newest value per requested column as epoch milliseconds (null when empty or not a time). */
  readonly newestMs: Readonly<Record<string, number | null>>;
}

export interface ExtractProfiler {
  /** Measures what the extract's `source` holds (a Parquet copy or the source files in place). */
  profile(
    source: FileTableSource,
    wanted: { readonly nullColumns: readonly string[]; readonly timeColumns: readonly string[] },
    signal: AbortSignal,
  ): Promise<ExtractProfile>;
}

/**
 * Applies an extract to the input's previous full data set, giving the next one, in ONE pass
 * written straight to `out`: `replace` → the extract; `append` → previous + extract; `upsert` →
 * previous rows whose primary key is not in the extract, + the extract (the last row per key
 * wins); `diff` → previous rows minus every key in the extract, + inserted and updated rows
 * (without `__hekima_op`). Columns are unioned by name.
 */
export interface ExtractMerger {
  merge(request: {
    /** The previous merged data (Parquet, absolute path); null on the first run. */
    readonly previous: string | null;
    /** The extract's Parquet file (absolute path). */
    readonly extract: { readonly file: string; readonly mode: ExtractMode; readonly primaryKey: readonly string[] };
    /** Where to write the merged Parquet file (absolute). */
    readonly out: string;
    readonly signal: AbortSignal;
  }): Promise<{ readonly rowCount: number }>;
}
