import { throwIfAborted } from '../../domain/errors.js';
import { assertRunnable } from '../../domain/ingestion/not-supported.js';
import {
  evaluateFitness,
  fitnessError,
  type FitnessDeclaration,
  type FitnessResult,
} from '../../domain/ingestion/fitness.js';
import { resolveConfigSecrets } from '../../domain/ingestion/resolve-connection.js';
import { withIngestionDefault, type IngestionStrategy } from '../../domain/connectors.js';
import type { ConnectionType } from '../../domain/manifest/schemas/workspace-config.js';
import type { Clock } from '../../ports/clock.js';
import type {
  Connectors,
  ConnectorState,
  Extract,
  ExtractColumn,
  ExtractMerger,
  ExtractMode,
  ExtractProfiler,
} from '../../ports/connector.js';
import type { FileTableSource } from '../../ports/engine.js';
import type { Logger } from '../../ports/logger.js';

/** A connector input of inputs.yaml, as ingest needs it. */
export interface ConnectorInput {
  readonly id: string;
  readonly ingestion_strategy: string;
  readonly ingestion_config?: Readonly<Record<string, unknown>>;
  readonly fitness?: readonly FitnessDeclaration[];
}

/** A connection of hekima.yaml (secrets still as `env:NAME`). */
export interface ConnectionSettings {
  readonly name: string;
  readonly type: ConnectionType;
  readonly config?: Readonly<Record<string, unknown>>;
}

export interface IngestDeps {
  readonly connectors: Connectors;
  readonly profiler: ExtractProfiler;
  /** Applies an extract to the input's previous data (needed by runs that keep connector state). */
  readonly merger?: ExtractMerger;
  readonly clock: Clock;
  /** Where `env:NAME` secrets are read from (the entry point's environment). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
}

export interface IngestRequest {
  readonly input: ConnectorInput;
  readonly connection: ConnectionSettings;
  /** The state committed with the input's last snapshot; null on the first run. */
  readonly state: ConnectorState | null;
  /** A folder for the extract (owned by the caller). */
  readonly workDir: string;
  /** Columns the product's logic reads from this input (schema_match); see ADR 0012. */
  readonly expectedColumns?: readonly string[];
  /**
   * Turns the extract into the data the transform reads (e.g. merged with the input's previous
   * data, ADR 0014); the extract itself when absent. Fitness measures that data.
   */
  readonly prepare?: (extract: Extract) => Promise<FileTableSource>;
  readonly signal: AbortSignal;
}

export interface IngestResult {
  /** The extract as the engine reads it: a Parquet copy, or the source files in place. */
  readonly source: FileTableSource;
  /** What the transform reads: `prepare`'s result, else the extract. */
  readonly data: FileTableSource;
  readonly inPlace: boolean;
  /** null when read in place (not counted before the engine reads it). */
  readonly rowCount: number | null;
  readonly columns: readonly ExtractColumn[];
  readonly mode: ExtractMode;
  readonly primaryKey: readonly string[];
  /** To commit TOGETHER with the snapshot built from `file` (never before). */
  readonly state: ConnectorState;
  readonly fitness: readonly FitnessResult[];
  /** For an extract read in place: call right before the commit (Transient `source_changed`). */
  readonly confirm?: Extract['confirm'];
}

/**
 * Ingests one connector input: refuses what cannot run, resolves the connection's secrets,
 * extracts, prepares the data the transform reads, then runs the fitness checks: counts, NULLs
 * and freshness on that data, schema_match on the columns the source delivered. A failed `error` check throws
 * QualityGateFailed `fitness_failed` (the state is not returned, so nothing advances); `warn`
 * results are logged and returned. The caller commits `state` with the snapshot.
 */
export async function ingest(deps: IngestDeps, request: IngestRequest): Promise<IngestResult> {
  const { input, connection, signal } = request;
  throwIfAborted(signal, `ingesting "${input.id}"`);
  assertRunnable(connection.type, input.ingestion_strategy);
  const log = deps.logger?.child({ input: input.id, connection: connection.name });
  const resolved = {
    name: connection.name,
    type: connection.type,
    config: resolveConfigSecrets(connection.name, connection.config ?? {}, deps.env),
  };
  const config = withIngestionDefault(connection.type, input.id, input.ingestion_config ?? {});
  const started = deps.clock.now().getTime();
  const extract = await deps.connectors.forType(connection.type).extract({
    connection: resolved,
    input: { id: input.id, strategy: input.ingestion_strategy as IngestionStrategy, config },
    state: request.state,
    workDir: request.workDir,
    signal,
  });
  log?.info('extracted', { rows: extract.rowCount, mode: extract.mode, ms: deps.clock.now().getTime() - started });

  const data = request.prepare ? await request.prepare(extract) : extract.source;
  const checks = input.fitness ?? [];
  const fitness = checks.length === 0 ? [] : await runFitness(deps, request, checks, data, extract.columns, config);
  const failed = fitness.filter((f) => !f.passed && f.severity === 'error');
  for (const f of fitness.filter((r) => !r.passed && r.severity === 'warn'))
    log?.warn('fitness check failed (warn)', { check: f.type, measured: f.measured, threshold: f.threshold });
  if (failed.length > 0) throw fitnessError(input.id, failed);
  return {
    source: extract.source,
    data,
    inPlace: extract.inPlace,
    rowCount: extract.rowCount,
    columns: extract.columns,
    mode: extract.mode,
    primaryKey: extract.primaryKey,
    state: extract.state,
    fitness,
    ...(extract.confirm ? { confirm: extract.confirm } : {}),
  };
}

async function runFitness(
  deps: IngestDeps,
  request: IngestRequest,
  checks: readonly FitnessDeclaration[],
  source: FileTableSource,
  columns: readonly ExtractColumn[],
  config: Readonly<Record<string, unknown>>,
): Promise<FitnessResult[]> {
  const columnsOf = (type: string) => checks.filter((c) => c.type === type && c.column).map((c) => c.column as string);
  const profile = await deps.profiler.profile(
    source,
    { nullColumns: columnsOf('null_ratio_max'), timeColumns: columnsOf('freshness') },
    request.signal,
  );
  const declared = Array.isArray(config['columns']) ? config['columns'].map(String) : [];
  const previous = request.state?.['columns'];
  return evaluateFitness(checks, {
    ...profile,
    columns,
    expectedColumns: [...(request.expectedColumns ?? []), ...declared],
    ...(Array.isArray(previous) ? { previousColumns: previous as { name: string; type: string }[] } : {}),
    nowMs: deps.clock.now().getTime(),
  });
}
