import { resolve as resolvePath } from 'node:path';
import { YamlDocumentParser } from './adapters/yaml/yaml-document-parser.js';
import { PgSqlAnalyzer } from './adapters/sql/pg-sql-analyzer.js';
import { LangiumCheckExpressions } from './adapters/langium/langium-check-expressions.js';
import { NodeWorkspaceFiles } from './adapters/fs/node-workspace-files.js';
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
import type { Clock } from './ports/clock.js';
import type { CorrelationStore } from './ports/correlation-store.js';
import type { ExecutionQueue, WorkerRegistry } from './ports/execution-queue.js';
import type { Engine } from './ports/engine.js';
import type { PythonRunner } from './ports/python-runner.js';
import { LazyDuckDbEngine } from './adapters/duckdb/lazy-duckdb-engine.js';
import { ChildProcessPythonRunner } from './adapters/python/child-process-python-runner.js';

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
  readonly clock: Clock;
  /** Durable executions over the catalog's database (opens the catalog on first use). */
  executions(signal?: AbortSignal): Promise<ExecutionBackbone>;
  readonly engine: Engine;
  readonly python: PythonRunner;
  /** Closes what the platform opened (the catalog). */
  close(): Promise<void>;
}

/** The composition root: the only place adapters are constructed. */
export function createPlatform(overrides: PlatformOverrides = {}): Platform {
  const parser = overrides.parser ?? new YamlDocumentParser();
  const sql = overrides.sql ?? new PgSqlAnalyzer();
  const expressions = overrides.expressions ?? new LangiumCheckExpressions();
  const rules = overrides.rules ?? ALL_RULES;
  const files = overrides.files ?? ((root: string) => new NodeWorkspaceFiles(root));
  return {
    parser,
    sql,
    expressions,
    rules,
    validationDeps: (root) => ({ files: files(root), parser, sql, expressions, rules }),
    resolveTarget: (path, cwd) => resolveTarget(resolvePath(cwd, path)),
    clock: overrides.clock ?? new SystemClock(),
    engine: overrides.engine ?? new LazyDuckDbEngine(),
    python: overrides.python ?? new ChildProcessPythonRunner(overrides.pythonExecutable),
    ...withExecutions(overrides, lazyCatalog(overrides)),
  };
}

function withExecutions<T extends Pick<Platform, 'catalog' | 'close'>>(overrides: PlatformOverrides, base: T): T & Pick<Platform, 'executions'> {
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
