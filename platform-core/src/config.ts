import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { durationSeconds, suggestDuration } from './domain/duration.js';
import { invalidArgument } from './domain/errors.js';
import { SecretValue } from './domain/secret-value.js';
import { embeddedSecretKey, lakeRootOf, stateDirOf } from './state-locations.js';

/**
 * Runtime configuration: one schema, one loader. Only entry points (the CLI binary, servers,
 * tests) read `process.env` and pass it here. Environment variables override the optional file:
 *
 *   HEKIMA_DATABASE_URL        server mode (PostgreSQL); absent → embedded PGlite in .hekima/catalog
 *   HEKIMA_DATABASE_SCHEMA     catalog schema (default hekima)
 *   HEKIMA_DATABASE_POOL_SIZE  pg pool size (default 10)
 *   HEKIMA_SECRET_KEY          32 bytes, base64 or hex: encrypts connection secrets at rest.
 *                              Embedded mode without it: generated once into the state folder, outside
 *                              the workspace (state-locations.ts; an old .hekima/secret.key is moved there)
 *   HEKIMA_STATE_DIR           the state folder (default $XDG_STATE_HOME/hekima or ~/.local/state/hekima)
 *   HEKIMA_LAKE                the lake root, absolute (default .hekima/lake embedded, <state>/lake server)
 *   HEKIMA_REDIS_URL, HEKIMA_KAFKA_BROKERS (comma-separated)   for the serving and event modules
 *   HEKIMA_CLEARANCE           the local user's clearance for reading served data (default internal;
 *                              public | internal | confidential | restricted; anything else reads public only)
 *   HEKIMA_EVENT_RETENTION     how long consumer groups remember the events they handled (a duration
 *                              such as 7d or 12h, at least 1h; default 7d); older marks are pruned
 *   HEKIMA_EVENT_LOG_RETENTION how long the event log keeps events every consumer group and the audit
 *                              trail are done with (a duration, at least HEKIMA_EVENT_RETENTION;
 *                              default 30d or that retention if longer); older ones are pruned (ADR 0017)
 *
 * The file (YAML or JSON) has the same settings; any string may be `env:NAME`, and the secret key
 * can only be given that way (never a literal key in a file).
 */
export const ConfigFileSchema = Type.Object(
  {
    database: Type.Optional(
      Type.Object(
        {
          url: Type.Optional(Type.String()),
          schema: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' })),
          pool_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        },
        { additionalProperties: false },
      ),
    ),
    secret_key: Type.Optional(Type.String({ pattern: '^env:[A-Z_][A-Z0-9_]*$' })),
    redis: Type.Optional(Type.Object({ url: Type.String() }, { additionalProperties: false })),
    clearance: Type.Optional(Type.String()),
    kafka: Type.Optional(
      Type.Object({ brokers: Type.Array(Type.String({ minLength: 1 })) }, { additionalProperties: false }),
    ),
    events: Type.Optional(
      Type.Object(
        { consumed_retention: Type.Optional(Type.String()), log_retention: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ConfigFile = Static<typeof ConfigFileSchema>;

export type CatalogConfig =
  | { readonly kind: 'pglite'; readonly dataDir: string; readonly schema: string }
  | { readonly kind: 'postgres'; readonly url: SecretValue; readonly schema: string; readonly poolSize: number };

export interface HekimaConfig {
  readonly workspaceRoot: string;
  readonly mode: 'embedded' | 'server';
  readonly catalog: CatalogConfig;
  /** Absent in server mode without HEKIMA_SECRET_KEY: stored secrets then fail (env: references work). */
  readonly secretKey?: SecretValue;
  readonly secretKeySource: 'env' | 'file' | 'generated' | 'migrated' | 'none';
  /** Where the embedded key file is (outside the workspace), when the key comes from a file. */
  readonly secretKeyFile?: string;
  /** The state folder (keys; the server-mode lake by default): never nameable by a connection. */
  readonly stateDir: string;
  /** The lake root: every tenant's snapshots live under `tenant-<id>/` of it. */
  readonly lakeRoot: string;
  readonly redisUrl?: SecretValue;
  /** The local caller's clearance for `hekima query` (HEKIMA_CLEARANCE / `clearance`); absent: internal. */
  readonly clearance?: string;
  readonly kafkaBrokers?: readonly string[];
  /** How long consumer groups' de-duplication marks are kept (HEKIMA_EVENT_RETENTION / `events.consumed_retention`). */
  readonly eventRetentionMs?: number;
  /** How long the event log keeps events everyone is done with (HEKIMA_EVENT_LOG_RETENTION / `events.log_retention`). */
  readonly eventLogRetentionMs?: number;
  /** The environment given to loadConfig, for resolving `env:NAME` references later (not enumerable: never serialised). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface LoadConfigOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The workspace whose `.hekima/` holds embedded state. */
  readonly workspaceRoot: string;
  /** Optional settings file (YAML or JSON). */
  readonly file?: string;
}

export { SECRET_KEY_FILE } from './state-locations.js';

export async function loadConfig(options: LoadConfigOptions): Promise<HekimaConfig> {
  const { env } = options;
  const workspaceRoot = resolve(options.workspaceRoot);
  const file = options.file === undefined ? {} : await readConfigFile(options.file);
  const fromEnv = (name: string, value: string | undefined, setting: string): string | undefined => {
    const raw = env[name] !== undefined && env[name] !== '' ? env[name] : value;
    if (raw === undefined || !raw.startsWith('env:')) return raw;
    const resolved = env[raw.slice(4)];
    if (resolved === undefined) throw invalidArgument('invalid_config', `${setting} reads ${raw}, which is not set.`);
    return resolved;
  };
  const url = fromEnv('HEKIMA_DATABASE_URL', file.database?.url, 'database.url');
  const schema = fromEnv('HEKIMA_DATABASE_SCHEMA', file.database?.schema, 'database.schema') ?? 'hekima';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw invalidArgument('invalid_config', `HEKIMA_DATABASE_SCHEMA "${schema}" is not a valid schema name.`);
  const poolSize = Number(
    fromEnv('HEKIMA_DATABASE_POOL_SIZE', file.database?.pool_size?.toString(), 'database.pool_size') ?? 10,
  );
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw invalidArgument('invalid_config', 'HEKIMA_DATABASE_POOL_SIZE must be a positive integer.');
  const hekimaDir = join(workspaceRoot, '.hekima');
  const catalog: CatalogConfig = url
    ? { kind: 'postgres', url: SecretValue.of(url), schema, poolSize }
    : { kind: 'pglite', dataDir: join(hekimaDir, 'catalog'), schema };

  const keyText = fromEnv('HEKIMA_SECRET_KEY', file.secret_key, 'secret_key');
  const stateDir = stateDirOf(env, workspaceRoot);
  const lakeRoot = lakeRootOf(env, catalog.kind === 'postgres', workspaceRoot, stateDir);
  let secretKey: SecretValue | undefined;
  let secretKeySource: HekimaConfig['secretKeySource'] = 'none';
  let secretKeyFile: string | undefined;
  if (keyText !== undefined) {
    secretKey = SecretValue.of(checkSecretKey(keyText));
    secretKeySource = 'env';
  } else if (catalog.kind === 'pglite') {
    ({
      key: secretKey,
      source: secretKeySource,
      file: secretKeyFile,
    } = await embeddedSecretKey(workspaceRoot, stateDir, checkSecretKey));
  }
  const redis = fromEnv('HEKIMA_REDIS_URL', file.redis?.url, 'redis.url');
  const clearance = fromEnv('HEKIMA_CLEARANCE', file.clearance, 'clearance');
  const brokers = fromEnv('HEKIMA_KAFKA_BROKERS', file.kafka?.brokers.join(','), 'kafka.brokers');
  const retention = fromEnv('HEKIMA_EVENT_RETENTION', file.events?.consumed_retention, 'events.consumed_retention');
  const eventRetentionMs = retention === undefined ? undefined : retentionMs(retention);
  const logRetention = fromEnv('HEKIMA_EVENT_LOG_RETENTION', file.events?.log_retention, 'events.log_retention');
  const eventLogRetentionMs =
    logRetention === undefined ? undefined : logRetentionMs(logRetention, eventRetentionMs ?? DEFAULT_CONSUMED_MS);
  const config = {
    workspaceRoot,
    mode: catalog.kind === 'postgres' ? 'server' : 'embedded',
    catalog,
    ...(secretKey ? { secretKey } : {}),
    secretKeySource,
    ...(secretKeyFile ? { secretKeyFile } : {}),
    stateDir,
    lakeRoot,
    ...(redis ? { redisUrl: SecretValue.of(redis) } : {}),
    ...(clearance ? { clearance } : {}),
    ...(eventRetentionMs !== undefined ? { eventRetentionMs } : {}),
    ...(eventLogRetentionMs !== undefined ? { eventLogRetentionMs } : {}),
    ...(brokers
      ? {
          kafkaBrokers: brokers
            .split(',')
            .map((b) => b.trim())
            .filter((b) => b !== ''),
        }
      : {}),
  };
  // Not enumerable: a logged or serialised config must not dump the whole environment.
  return Object.defineProperty(config, 'env', { value: env, enumerable: false }) as HekimaConfig;
}

/** HEKIMA_EVENT_RETENTION: a duration of at least one hour (a redelivered event must still be recognised). */
function retentionMs(text: string): number {
  const seconds = durationSeconds(text.trim());
  if (seconds === undefined || seconds < 3600) {
    const hint = suggestDuration(text);
    throw invalidArgument(
      'invalid_config',
      `HEKIMA_EVENT_RETENTION (events.consumed_retention) must be a duration of at least 1h such as 7d, 36h or 90m (got "${text}")${hint && hint !== text ? `; did you mean ${hint}?` : ''}.`,
    );
  }
  return seconds * 1000;
}

/** The consumed-events retention when none is configured (the bus's default, 7 days). */
const DEFAULT_CONSUMED_MS = 7 * 86_400_000;

/**
 * HEKIMA_EVENT_LOG_RETENTION: a duration of at least the consumed-events retention, so that the
 * log refuses a duplicate publish for as long as a group would skip it (docs/adr/0017).
 */
function logRetentionMs(text: string, consumedMs: number): number {
  const seconds = durationSeconds(text.trim());
  if (seconds === undefined || seconds * 1000 < consumedMs) {
    const hint = seconds === undefined ? suggestDuration(text) : undefined;
    const floor = `${consumedMs / 3_600_000}h`;
    throw invalidArgument(
      'invalid_config',
      `HEKIMA_EVENT_LOG_RETENTION (events.log_retention) must be a duration of at least the consumed-events retention (HEKIMA_EVENT_RETENTION, here ${floor}) such as 30d or 90d (got "${text}")${hint && hint !== text ? `; did you mean ${hint}?` : ''}.`,
    );
  }
  return seconds * 1000;
}

async function readConfigFile(path: string): Promise<ConfigFile> {
  let parsed: unknown;
  try {
    parsed = parseYaml(await readFile(path, 'utf8')) ?? {};
  } catch (e) {
    throw invalidArgument('invalid_config', `Cannot read the configuration file ${path}.`, { cause: e });
  }
  if (!Value.Check(ConfigFileSchema, parsed)) {
    const first = Value.Errors(ConfigFileSchema, parsed).First();
    throw invalidArgument(
      'invalid_config',
      `Configuration file ${path}: ${first ? `${first.path || '/'} ${first.message}` : 'invalid'}.`,
    );
  }
  return parsed;
}

/** Returns the key text if it decodes to 32 bytes (hex or base64); never echoes it. */
function checkSecretKey(text: string): string {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t)
    ? 32
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(t)
      ? Buffer.from(t, 'base64').length
      : 0;
  if (bytes !== 32)
    throw invalidArgument(
      'invalid_config',
      'HEKIMA_SECRET_KEY must be 32 bytes, written as 64 hex characters or base64.',
    );
  return t;
}
