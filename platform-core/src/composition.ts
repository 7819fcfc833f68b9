import { dirname, resolve as resolvePath } from 'node:path';
import { YamlDocumentParser } from './adapters/yaml/yaml-document-parser.js';
import { DuckDbSqlAnalyzer } from './adapters/sql/duckdb/duckdb-sql-analyzer.js';
import { LangiumCheckExpressions } from './adapters/langium/langium-check-expressions.js';
import { NodeWorkspaceFiles } from './adapters/fs/node-workspace-files.js';
import { PicomatchPatterns } from './adapters/glob/picomatch-patterns.js';
import { AjvSchemaValidator } from './adapters/ajv/ajv-schema-validator.js';
import { resolveTarget, type ResolvedTarget } from './adapters/fs/workspace-root.js';
import { ALL_RULES } from './application/validate/rules/index.js';
import type { ValidationDeps } from './application/validate/validation-session.js';
import type { DocumentParser } from './ports/source-document.js';
import type { SqlAnalyzer } from './ports/sql-analyzer.js';
import type { CheckExpressions } from './ports/check-expressions.js';
import type { WorkspaceFiles } from './ports/workspace-files.js';
import type { Rule } from './application/validate/rule.js';
import type { Catalog } from './ports/catalog.js';
import type { Logger } from './ports/logger.js';
import type { HekimaConfig } from './config.js';
import { invalidState } from './domain/errors.js';
import { SystemClock } from './adapters/system/system-clock.js';
import { localLeaseOwnerGone } from './adapters/system/local-lease-owners.js';
import type { Clock } from './ports/clock.js';
import type { CorrelationStore } from './ports/correlation-store.js';
import type { ExecutionQueue, WorkerRegistry } from './ports/execution-queue.js';
import type { Engine } from './ports/engine.js';
import type { PythonRunner } from './ports/python-runner.js';
import type { ScratchSpace } from './ports/scratch-space.js';
import { FsScratchSpace } from './adapters/fs/fs-scratch-space.js';
import { LazyDuckDbEngine } from './adapters/duckdb/lazy-duckdb-engine.js';
import { closeRegistered } from './adapters/duckdb/spare-registry.js';
import { ChildProcessPythonRunner } from './adapters/python/child-process-python-runner.js';
import type { Connectors, ExtractMerger, ExtractProfiler } from './ports/connector.js';
import { LazyConnectors, LazyExtractMerger, LazyExtractProfiler } from './adapters/connectors/lazy-connectors.js';
import type { EventBus } from './ports/event-bus.js';
import type { Lake } from './ports/lake.js';
import type { CheckEngine } from './ports/check-engine.js';
import { FsLake } from './adapters/fs-lake/fs-lake.js';
import { LazyDuckDbCheckEngine } from './adapters/duckdb/lazy-duckdb-check-engine.js';
import type { ServingStores } from './ports/serving-store.js';
import type { SqlDatabase } from './ports/sql-database.js';

/** Durable executions (issue 4): the queue, the worker registry and the correlation state. */
export interface ExecutionBackbone {
  readonly queue: ExecutionQueue;
  readonly workers: WorkerRegistry;
  readonly correlations: CorrelationStore;
}

export interface PlatformOverrides {
  readonly parser?: DocumentParser;
  readonly sql?: SqlAnalyzer;
  readonly expressions?: CheckExpressions;
  readonly rules?: readonly Rule[];
  readonly files?: (root: string) => WorkspaceFiles;
  /** Runtime settings (from `loadConfig`); needed by `catalog()` unless a catalog is given. */
  readonly config?: HekimaConfig;
  readonly catalog?: Catalog;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly executions?: ExecutionBackbone;
  /** Runs SQL logic and shapes results (DuckDB by default). */
  readonly engine?: Engine;
  /** Runs Python logic (a `python3` child by default; `pythonExecutable` picks another). */
  readonly python?: PythonRunner;
  readonly pythonExecutable?: string;
  /** Private working folders of this process (default: `<workspace>/.hekima/tmp/`, swept by the next run). */
  readonly scratch?: ScratchSpace;
  /** Connectors for a workspace (file paths are relative to `root`); built-in ones by default. */
  readonly connectors?: (root: string) => Connectors;
  readonly extractProfiler?: ExtractProfiler;
  readonly extractMerger?: ExtractMerger;
  /** The event bus (default: the PostgreSQL log in the catalog database, or Kafka when configured). */
  readonly events?: EventBus;
  /** The lake of snapshots (default: a file-system lake at `lakeRoot`, else the config's `lakeRoot`). */
  readonly lake?: Lake;
  readonly lakeRoot?: string;
  /** Runs quality-check SQL over snapshots (DuckDB by default). */
  readonly checkEngine?: CheckEngine;
  /** Serving stores (default: PostgreSQL tables on the catalog's database, Redis when configured, the lake). */
  readonly servingStores?: ServingStores;
}

export interface Platform {
  /** Everything the validator needs for a workspace rooted at `root`. */
  validationDeps(root: string): ValidationDeps;
  readonly parser: DocumentParser;
  readonly sql: SqlAnalyzer;
  readonly expressions: CheckExpressions;
  readonly rules: readonly Rule[];
  /** Resolves a command-line path to its workspace root and scope (absolute or relative to cwd). */
  resolveTarget(path: string, cwd: string): ResolvedTarget | { error: string };
  /** The catalog, opened and migrated on first use (InvalidState `config_missing` without config). */
  catalog(signal?: AbortSignal): Promise<Catalog>;
  /**
   * Embedded mode (a PGlite data folder, shared by the processes of this machine): whether the
   * process holding a lease, by its worker id, has ended. Undefined for a given catalog or PostgreSQL.
   */
  readonly leaseOwnerGone?: (leaseOwner: string) => boolean;
  readonly clock: Clock;
  /** Durable executions over the catalog's database (opens the catalog on first use). */
  executions(signal?: AbortSignal): Promise<ExecutionBackbone>;
  readonly engine: Engine;
  readonly python: PythonRunner;
  /** Working folders of this process under a workspace; the next run sweeps those of ended processes. */
  readonly scratch: ScratchSpace;
  /** The connectors of a workspace rooted at `root` (file, postgres, http; others refuse to run). */
  connectors(root: string): Connectors;
  /** Measures extracts for ingestion fitness checks (DuckDB). */
  readonly extractProfiler: ExtractProfiler;
  /** Applies an extract (replace, append, upsert, diff) to the input's previous snapshot (DuckDB). */
  readonly extractMerger: ExtractMerger;
  /**
   * The event bus over the catalog (opens it on first use): Kafka when `kafkaBrokers` are
   * configured, else the PostgreSQL log. Not started: call `start()` to run the relay here.
   */
  events(signal?: AbortSignal): Promise<EventBus>;
  /** The snapshot lake (docs/adr/0011); InvalidState `config_missing` without a root or config. */
  lake(): Lake;
  /** Runs the quality gates' SQL over snapshot files. */
  readonly checkEngine: CheckEngine;
  /**
   * The serving stores (docs/adr/0013), opened on first use: lookup/timeseries tables on the
   * catalog's database, realtime in Redis when `redisUrl` is configured (else an "off" store that
   * says so), analytics over the lake through DuckDB.
   */
  servingStores(signal?: AbortSignal): Promise<ServingStores>;
  /** Closes what the platform opened (the catalog). */
  close(): Promise<void>;
}

/** The composition root: the only place adapters are constructed. */
export function createPlatform(overrides: PlatformOverrides = {}): Platform {
  const parser = overrides.parser ?? new YamlDocumentParser();
  const sql = overrides.sql ?? new DuckDbSqlAnalyzer();
  const expressions = overrides.expressions ?? new LangiumCheckExpressions();
  const rules = overrides.rules ?? ALL_RULES;
  const files = overrides.files ?? ((root: string) => new NodeWorkspaceFiles(root));
  const patterns = new PicomatchPatterns();
  const schemas = new AjvSchemaValidator();
  return {
    parser,
    sql,
    expressions,
    rules,
    validationDeps: (root) => ({ files: files(root), parser, sql, expressions, rules, schemas, patterns }),
    resolveTarget: (path, cwd) => resolveTarget(resolvePath(cwd, path)),
    clock: overrides.clock ?? new SystemClock(),
    engine: overrides.engine ?? new LazyDuckDbEngine(),
    python: overrides.python ?? new ChildProcessPythonRunner(overrides.pythonExecutable),
    scratch: overrides.scratch ?? new FsScratchSpace(),
    connectors:
      overrides.connectors ??
      ((root: string) => new LazyConnectors({ workspaceRoot: root, protectedPaths: protectedPaths(overrides) })),
    extractProfiler: overrides.extractProfiler ?? new LazyExtractProfiler(),
    extractMerger: overrides.extractMerger ?? new LazyExtractMerger(),
    lake: lakeOf(overrides),
    checkEngine: overrides.checkEngine ?? new LazyDuckDbCheckEngine(),
    ...(overrides.catalog === undefined && overrides.config?.catalog.kind === 'pglite'
      ? { leaseOwnerGone: localLeaseOwnerGone }
      : {}),
    ...withDuckDbSpares(
      withServing(overrides, withEvents(overrides, withExecutions(overrides, lazyCatalog(overrides)))),
    ),
  };
}

/** Closing the platform also closes the DuckDB instances made ahead (if DuckDB was loaded). */
function withDuckDbSpares<T extends Pick<Platform, 'close'>>(base: T): T {
  return {
    ...base,
    async close() {
      await base.close();
      await closeRegistered();
    },
  };
}

function withEvents<T extends Pick<Platform, 'catalog' | 'close'>>(
  overrides: PlatformOverrides,
  base: T,
): T & Pick<Platform, 'events'> {
  let opening: Promise<EventBus> | undefined = overrides.events ? Promise.resolve(overrides.events) : undefined;
  return {
    ...base,
    async close() {
      const bus = overrides.events ? undefined : opening;
      opening = overrides.events ? opening : undefined;
      await (await bus?.catch(() => undefined))?.close();
      await base.close();
    },
    events(signal) {
      opening ??= (async () => {
        const catalog = await base.catalog(signal);
        const { openEventBus } = await import('./adapters/postgres/events/open-event-bus.js');
        const brokers = overrides.config?.kafkaBrokers;
        const retentionMs = overrides.config?.eventRetentionMs;
        return openEventBus(catalog, {
          ...(brokers ? { kafkaBrokers: brokers } : {}),
          ...(retentionMs !== undefined ? { consumedRetention: { retentionMs } } : {}),
          ...(overrides.config?.eventLogRetentionMs !== undefined
            ? { logRetention: { retentionMs: overrides.config.eventLogRetentionMs } }
            : {}),
          ...(overrides.logger ? { logger: overrides.logger } : {}),
        });
      })();
      const attempt = opening;
      attempt.catch(() => (opening === attempt ? (opening = undefined) : undefined));
      return attempt;
    },
  };
}

function withExecutions<T extends Pick<Platform, 'catalog' | 'close'>>(
  overrides: PlatformOverrides,
  base: T,
): T & Pick<Platform, 'executions'> {
  let backbone: ExecutionBackbone | undefined = overrides.executions;
  return {
    ...base,
    async close() {
      backbone = overrides.executions;
      await base.close();
    },
    async executions(signal) {
      if (backbone) return backbone;
      const catalog = await base.catalog(signal);
      backbone = (await import('./adapters/postgres/executions/execution-backbone.js')).executionBackbone(catalog);
      return backbone;
    },
  };
}

function lazyCatalog(overrides: PlatformOverrides): Pick<Platform, 'catalog' | 'close'> {
  let opening: Promise<Catalog> | undefined = overrides.catalog ? Promise.resolve(overrides.catalog) : undefined;
  // Loaded on first use: PGlite and pg are large, and validation never needs them.
  const open = async (config: HekimaConfig, signal?: AbortSignal) =>
    (await import('./adapters/postgres/open-postgres-catalog.js')).openPostgresCatalog({
      database:
        config.catalog.kind === 'postgres' ? { ...config.catalog, url: config.catalog.url.reveal() } : config.catalog,
      ...(config.secretKey ? { secretKey: config.secretKey } : {}),
      ...(overrides.logger ? { logger: overrides.logger } : {}),
      ...(signal ? { signal } : {}),
    });
  return {
    catalog(signal) {
      if (!opening) {
        const { config } = overrides;
        if (!config)
          return Promise.reject(
            invalidState(
              'config_missing',
              'The catalog needs a configuration: pass `config` (from loadConfig) to createPlatform.',
            ),
          );
        const attempt = open(config, signal);
        opening = attempt;
        attempt.catch(() => (opening === attempt ? (opening = undefined) : undefined));
      }
      return opening;
    },
    async close() {
      if (overrides.catalog) return; // the caller owns a catalog it passed in
      const current = opening;
      opening = undefined;
      if (current) await (await current.catch(() => undefined))?.close();
    },
  };
}

/** What no file connection may reach besides `<workspace>/.hekima`: the lake root and the key folder. */
function protectedPaths(overrides: PlatformOverrides): string[] {
  const paths = [overrides.lakeRoot ?? overrides.config?.lakeRoot, overrides.config?.stateDir];
  if (overrides.config?.secretKeyFile) paths.push(dirname(overrides.config.secretKeyFile));
  return paths.filter((p): p is string => p !== undefined);
}

function lakeOf(overrides: PlatformOverrides): () => Lake {
  let lake = overrides.lake;
  return () => {
    if (lake) return lake;
    const root = overrides.lakeRoot ?? overrides.config?.lakeRoot;
    if (root === undefined)
      throw invalidState(
        'config_missing',
        'The lake needs a root: pass `lakeRoot` or `config` (from loadConfig) to createPlatform.',
      );
    lake = new FsLake(root);
    return lake;
  };
}

function withServing<T extends Pick<Platform, 'catalog' | 'close'>>(
  overrides: PlatformOverrides,
  base: T,
): T & Pick<Platform, 'servingStores'> {
  let opening: Promise<ServingStores> | undefined = overrides.servingStores
    ? Promise.resolve(overrides.servingStores)
    : undefined;
  const open = async (signal?: AbortSignal): Promise<ServingStores> => {
    const db = ((await base.catalog(signal)) as { readonly db?: SqlDatabase }).db;
    if (!db)
      throw invalidState('serving_needs_sql_catalog', 'Serving stores need the SQL catalog (PGlite or PostgreSQL).');
    const [{ PostgresServingStore }, { DuckDbAnalyticsStore }, realtime] = await Promise.all([
      import('./adapters/postgres/serving/postgres-serving-store.js'),
      import('./adapters/duckdb/duckdb-analytics-store.js'),
      overrides.config?.redisUrl
        ? import('./adapters/redis/redis-serving-store.js').then(
            (m) =>
              new m.RedisServingStore({
                url: overrides.config!.redisUrl!.reveal(),
                ...(overrides.logger ? { logger: overrides.logger } : {}),
              }),
          )
        : import('./adapters/redis/disabled-realtime-store.js').then((m) => new m.DisabledRealtimeStore()),
    ]);
    return {
      lookup: new PostgresServingStore(db, 'lookup'),
      timeseries: new PostgresServingStore(db, 'timeseries'),
      realtime,
      analytics: new DuckDbAnalyticsStore(),
    };
  };
  return {
    ...base,
    async close() {
      const stores = overrides.servingStores ? undefined : opening;
      opening = overrides.servingStores ? opening : undefined;
      await (await stores?.catch(() => undefined))?.realtime.close?.();
      await base.close();
    },
    servingStores(signal) {
      opening ??= open(signal);
      const attempt = opening;
      attempt.catch(() => (opening === attempt ? (opening = undefined) : undefined));
      return attempt;
    },
  };
}
