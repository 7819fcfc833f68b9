import pg from 'pg';
import {
  authExpired,
  cancelled,
  invalidArgument,
  isHekimaError,
  permanent,
  transient,
} from '../../../domain/errors.js';
import { settingNumber, settingText } from '../../../domain/ingestion/resolve-connection.js';
import type { ExtractColumn, ResolvedConnection } from '../../../ports/connector.js';

/** Opening a `postgres` connection with pg, and mapping its types and errors. */

const asText = (value: string): string => value;

/** A client whose values all arrive as text (lossless; typed later by DuckDB), in UTC. */
export async function connect(connection: ResolvedConnection, signal: AbortSignal): Promise<pg.Client> {
  const c = connection.config;
  const ssl = settingText(c['ssl_mode']) ?? 'disable';
  const client = new pg.Client({
    host: settingText(c['host']) ?? '127.0.0.1',
    port: settingNumber(c['port']) ?? 5432,
    database: settingText(c['database']),
    user: settingText(c['username']) ?? settingText(c['user']),
    password: settingText(c['password']),
    ssl:
      ssl === 'disable' || ssl === 'allow' || ssl === 'prefer' ? false : { rejectUnauthorized: ssl === 'verify-full' },
    connectionTimeoutMillis: (settingNumber(c['timeout_seconds']) ?? 10) * 1000,
    application_name: 'hekima-connector',
    types: { getTypeParser: () => asText },
  });
  client.on('error', () => undefined);
  const onAbort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  client.once('end', () => signal.removeEventListener('abort', onAbort));
  if (signal.aborted) onAbort(); // aborted before the listener was in place
  try {
    await client.connect();
    await client.query(`SET TIME ZONE 'UTC'`);
  } catch (e) {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
    throw pgError(e, connection.name, signal);
  }
  return client;
}

/** DuckDB type of a PostgreSQL type OID (values arrive as PostgreSQL's text form). */
export function duckTypeOfOid(oid: number, typmod = -1): string {
  switch (oid) {
    case 16:
      return 'BOOLEAN';
    case 20:
      return 'BIGINT';
    case 21:
      return 'SMALLINT';
    case 23:
      return 'INTEGER';
    case 700:
      return 'FLOAT';
    case 701:
      return 'DOUBLE';
    case 1700: {
      // numeric(p,s): typmod = (p << 16 | s) + 4; unconstrained numeric is DECIMAL(38,10).
      if (typmod < 4) return 'DECIMAL(38,10)';
      const precision = ((typmod - 4) >> 16) & 0xffff;
      const scale = (typmod - 4) & 0xffff;
      return precision <= 38 ? `DECIMAL(${precision},${scale})` : 'VARCHAR';
    }
    case 1082:
      return 'DATE';
    case 1114:
      return 'TIMESTAMP';
    case 1184:
      return 'TIMESTAMPTZ';
    case 2950:
      return 'UUID';
    case 114:
    case 3802:
      return 'JSON';
    default:
      return 'VARCHAR';
  }
}

export function columnsOf(
  fields: readonly { name: string; dataTypeID: number; dataTypeModifier?: number }[],
): ExtractColumn[] {
  return fields.map((f) => ({ name: f.name, type: duckTypeOfOid(f.dataTypeID, f.dataTypeModifier ?? -1) }));
}

/** A table name part, quoted when used: letters, digits, `_`, `$` and `-` (an input id is kebab-case). */
const IDENT = /^[A-Za-z_][A-Za-z0-9_$-]*$/;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The FROM item of an input: `table` (optionally `schema.table`) or `(query)`. */
export function sourceOf(config: Readonly<Record<string, unknown>>, input: string): string {
  const table = settingText(config['table']);
  const query = settingText(config['query']);
  if (table) {
    const parts = table.split('.');
    if (parts.length > 2 || !parts.every((p) => IDENT.test(p)))
      throw invalidArgument('invalid_table', `Input "${input}": "${table}" is not a table name (schema.table).`);
    return parts.map(quoteIdent).join('.');
  }
  if (query) return `(${query.trim().replace(/;\s*$/, '')}) AS source_query`;
  throw invalidArgument('ingestion_config_missing', `Input "${input}" needs ingestion_config.table or query.`);
}

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/** A pg failure as a typed error: no parameters, no row values, never a password. */
export function pgError(e: unknown, connection: string, signal?: AbortSignal): unknown {
  if (isHekimaError(e)) return e;
  if (signal?.aborted) return cancelled('aborted', `Connection '${connection}': cancelled`, { cause: signal.reason });
  const code = String((e as { code?: unknown }).code ?? '');
  const message = (e as Error).message ?? String(e);
  const cause = Object.assign(new Error(message), { code });
  if (code === '28P01' || code === '28000')
    return authExpired('auth_failed', `Connection '${connection}': authentication failed`, { cause });
  if (
    TRANSIENT_CODES.has(code) ||
    code.startsWith('08') ||
    code === '57P03' ||
    code === '53300' ||
    code === '40001' ||
    /timeout/i.test(message)
  )
    return transient('source_unavailable', `Connection '${connection}': ${message}`, { cause });
  return permanent('source_query_failed', `Connection '${connection}': ${message}`, {
    cause,
    details: { sqlstate: code },
  });
}
