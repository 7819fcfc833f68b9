import type { INGESTION_STRATEGIES } from './manifest/schemas/inputs.js';
import type { ConnectionType } from './manifest/schemas/workspace-config.js';

export type IngestionStrategy = (typeof INGESTION_STRATEGIES)[number];

/**
 * What each connection type can do, shared by the validator (CON rules) and the runtime.
 *
 * - `strategies`: the ingestion strategies the akili/v1 format allows for the type
 *   (docs /guides/ingestion-patterns; `file` is Hekima's local-files connection).
 * - `runnable`: whether this version of `hekima run` can extract from the type at all.
 * - `requires`: settings an input's `ingestion_config` must give, per strategy. Each entry is a
 *   list of alternatives: at least one of them must be set (e.g. `table` or `query`).
 */
export interface ConnectorSpec {
  readonly type: ConnectionType;
  readonly category: 'database' | 'api' | 'file' | 'streaming';
  readonly strategies: readonly IngestionStrategy[];
  readonly runnable: boolean;
  /** Settings every input of this type needs, whatever the strategy. */
  readonly requires: readonly (readonly string[])[];
  /** Additional settings a strategy needs. */
  readonly requiresFor: Partial<Record<IngestionStrategy, readonly (readonly string[])[]>>;
}

const DATABASE_NEEDS = {
  requires: [['table', 'query']],
  requiresFor: {
    // CDC follows one table's change log: a query cannot be captured.
    cdc: [['table'], ['primary_key']],
    incremental: [['cursor_field']],
    snapshot_diff: [['primary_key']],
  },
} as const;

export const CONNECTORS: Readonly<Record<ConnectionType, ConnectorSpec>> = {
  postgres: {
    type: 'postgres',
    category: 'database',
    strategies: ['cdc', 'incremental', 'full_refresh', 'snapshot_diff'],
    runnable: true,
    ...DATABASE_NEEDS,
  },
  mysql: {
    type: 'mysql',
    category: 'database',
    strategies: ['cdc', 'incremental', 'full_refresh', 'snapshot_diff'],
    runnable: false,
    ...DATABASE_NEEDS,
  },
  oracle: {
    type: 'oracle',
    category: 'database',
    strategies: ['incremental', 'full_refresh', 'snapshot_diff'],
    runnable: false,
    ...DATABASE_NEEDS,
  },
  http: {
    type: 'http',
    category: 'api',
    strategies: ['api_poll', 'incremental'],
    runnable: true,
    requires: [['endpoint']],
    requiresFor: { incremental: [['cursor_field']] },
  },
  s3: {
    type: 's3',
    category: 'file',
    strategies: ['file_watch', 'full_refresh'],
    runnable: false,
    requires: [['path']],
    requiresFor: {},
  },
  sftp: {
    type: 'sftp',
    category: 'file',
    strategies: ['file_watch', 'full_refresh'],
    runnable: false,
    requires: [['path']],
    requiresFor: {},
  },
  kafka: {
    type: 'kafka',
    category: 'streaming',
    strategies: ['stream', 'event'],
    runnable: false,
    requires: [['topic']],
    requiresFor: {},
  },
  redpanda: {
    type: 'redpanda',
    category: 'streaming',
    strategies: ['stream', 'event'],
    runnable: false,
    requires: [['topic']],
    requiresFor: {},
  },
  file: {
    type: 'file',
    category: 'file',
    strategies: ['full_refresh', 'incremental', 'file_watch'],
    runnable: true,
    requires: [['path']],
    // incremental over files reads the files not seen before; a cursor_field is optional.
    requiresFor: {},
  },
};

/** Strategies the runtime cannot run on any connection type yet. */
export const UNRUNNABLE_STRATEGIES: readonly IngestionStrategy[] = ['cdc'];

export function connectorSpec(type: string | undefined): ConnectorSpec | undefined {
  return type !== undefined && Object.prototype.hasOwnProperty.call(CONNECTORS, type)
    ? CONNECTORS[type as ConnectionType]
    : undefined;
}

export function supportsStrategy(type: ConnectionType, strategy: string): boolean {
  return (CONNECTORS[type].strategies as readonly string[]).includes(strategy);
}

/** Whether `hekima run` can run an input of this type with this strategy. */
export function canRun(type: ConnectionType, strategy: string): boolean {
  return (
    CONNECTORS[type].runnable &&
    !(UNRUNNABLE_STRATEGIES as readonly string[]).includes(strategy) &&
    supportsStrategy(type, strategy)
  );
}

/** The connection types that support a strategy. */
export function typesSupporting(strategy: string): ConnectionType[] {
  return (Object.keys(CONNECTORS) as ConnectionType[]).filter((t) => supportsStrategy(t, strategy));
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * The settings an input's ingestion_config lacks for its connection type and strategy: each
 * entry is a group of alternatives none of which is set. Strategy-specific needs are only
 * checked when the type supports the strategy.
 */
export function missingIngestionSettings(
  type: ConnectionType,
  strategy: string | undefined,
  config: Readonly<Record<string, unknown>>,
): (readonly string[])[] {
  const spec = CONNECTORS[type];
  const groups: (readonly string[])[] = [...spec.requires];
  if (strategy !== undefined && supportsStrategy(type, strategy))
    groups.push(...(spec.requiresFor[strategy as IngestionStrategy] ?? []));
  const missing: (readonly string[])[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    const key = group.join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    if (!group.some((k) => isSet(config[k]))) missing.push(group);
  }
  // `cdc` needs a table: drop the looser "table or query" group when the table group is also missing.
  if (missing.some((g) => g.length === 1 && g[0] === 'table'))
    return missing.filter((g) => !(g.length > 1 && g.includes('table')));
  return missing;
}
