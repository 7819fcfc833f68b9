import type { INGESTION_STRATEGIES } from './manifest/schemas/inputs.js';
import type { ConnectionType } from './manifest/schemas/workspace-config.js';

export type IngestionStrategy = (typeof INGESTION_STRATEGIES)[number];

/**
 * What each connection type can do, shared by the validator (CON rules) and the runtime.
 *
 * - `strategies`: the ingestion strategies the akili/v1 format allows for the type
 *   (docs /guides/ingestion-patterns; `file` is Hekima's local-files connection).
 * - `runnable`: whether this version of `hekima run` can extract from the type at all.
 * - `reads`: what an input reads from the connection (a table, a path, an endpoint, a topic),
 *   the `ingestion_config` keys that name it, and the default used when none is given. The format
 *   does not require these keys (its examples give only `cursor_field` / `primary_key`), so a
 *   missing one is never an error: the default applies (see docs/dev/connectors.md).
 * - `requiresFor`: settings a strategy cannot run without (cursor_field for incremental...).
 *   Each entry is a list of alternatives: at least one of them must be set.
 */
export interface ConnectorSpec {
  readonly type: ConnectionType;
  readonly category: 'database' | 'api' | 'file' | 'streaming';
  readonly strategies: readonly IngestionStrategy[];
  readonly runnable: boolean;
  readonly reads: ReadTarget;
  /** Additional settings a strategy needs. */
  readonly requiresFor: Partial<Record<IngestionStrategy, readonly (readonly string[])[]>>;
}

/** What an input reads from its connection when its ingestion_config names nothing. */
export interface ReadTarget {
  /** The keys that name it (any one is enough), the first being the one the default sets. */
  readonly keys: readonly [string, ...string[]];
  /** The default value, from the input id. */
  readonly value: (inputId: string) => string;
  /** What the default means, for the finding and `hekima connection test`. */
  readonly meaning: (inputId: string) => string;
}

const TABLE_NAMED_AFTER_INPUT: ReadTarget = {
  keys: ['table', 'query'],
  value: (id) => id,
  meaning: (id) => `it reads the table "${id}" (the input id)`,
};

const EVERY_FILE: ReadTarget = {
  keys: ['path'],
  value: () => '*',
  meaning: () => "it reads every file under the connection's path",
};

const DATABASE_NEEDS = {
  reads: TABLE_NAMED_AFTER_INPUT,
  requiresFor: {
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
    reads: { keys: ['endpoint'], value: () => '/', meaning: () => "it reads the connection's base_url" },
    requiresFor: { incremental: [['cursor_field']] },
  },
  s3: {
    type: 's3',
    category: 'file',
    strategies: ['file_watch', 'full_refresh'],
    runnable: false,
    reads: EVERY_FILE,
    requiresFor: {},
  },
  sftp: {
    type: 'sftp',
    category: 'file',
    strategies: ['file_watch', 'full_refresh'],
    runnable: false,
    reads: EVERY_FILE,
    requiresFor: {},
  },
  kafka: {
    type: 'kafka',
    category: 'streaming',
    strategies: ['stream', 'event'],
    runnable: false,
    reads: {
      keys: ['topic'],
      value: (id) => id,
      meaning: (id) => `it consumes the topic "${id}" (the input id)`,
    },
    requiresFor: {},
  },
  redpanda: {
    type: 'redpanda',
    category: 'streaming',
    strategies: ['stream', 'event'],
    runnable: false,
    reads: {
      keys: ['topic'],
      value: (id) => id,
      meaning: (id) => `it consumes the topic "${id}" (the input id)`,
    },
    requiresFor: {},
  },
  file: {
    type: 'file',
    category: 'file',
    strategies: ['full_refresh', 'incremental', 'file_watch'],
    runnable: true,
    reads: EVERY_FILE,
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
 * The settings an input's ingestion_config lacks for its strategy, which have no default: each
 * entry is a group of alternatives none of which is set. Checked only when the type supports the
 * strategy. `cdc` follows one table's change log, so it cannot read a `query` (without a table).
 */
export function missingIngestionSettings(
  type: ConnectionType,
  strategy: string | undefined,
  config: Readonly<Record<string, unknown>>,
): (readonly string[])[] {
  const spec = CONNECTORS[type];
  if (strategy === undefined || !supportsStrategy(type, strategy)) return [];
  const groups = spec.requiresFor[strategy as IngestionStrategy] ?? [];
  const missing = groups.filter((group) => !group.some((k) => isSet(config[k])));
  if (strategy === 'cdc' && isSet(config['query']) && !isSet(config['table'])) missing.push(['table']);
  return missing;
}

/** The default an input's read falls back to, when its ingestion_config names no table, path... */
export interface IngestionDefault {
  /** The ingestion_config key the default sets. */
  readonly key: string;
  /** The keys any of which would have named the read. */
  readonly keys: readonly string[];
  readonly value: string;
  readonly meaning: string;
}

export function ingestionDefault(
  type: ConnectionType,
  inputId: string,
  config: Readonly<Record<string, unknown>>,
): IngestionDefault | undefined {
  const reads = CONNECTORS[type].reads;
  if (reads.keys.some((k) => isSet(config[k]))) return undefined;
  return { key: reads.keys[0], keys: reads.keys, value: reads.value(inputId), meaning: reads.meaning(inputId) };
}

/** The input's ingestion_config with the default read filled in (what the runtime extracts). */
export function withIngestionDefault(
  type: ConnectionType,
  inputId: string,
  config: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const fallback = ingestionDefault(type, inputId, config);
  return fallback === undefined ? config : { ...config, [fallback.key]: fallback.value };
}
