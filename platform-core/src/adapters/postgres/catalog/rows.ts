import { conflict, invalidArgument, isHekimaError } from '../../../domain/errors.js';
import { isUuid } from '../../../domain/pagination.js';
import type { SqlExecutor, SqlRow } from '../../../ports/sql-database.js';
import { violatedConstraint } from '../driver-errors.js';

/** Runs work with an executor: a new tenant transaction per call, or the caller's open one. */
export type Runner = <T>(work: (sql: SqlExecutor) => Promise<T>) => Promise<T>;

/** What every tenant repository is built from. */
export interface TenantContext {
  readonly tenantId: string;
  readonly run: Runner;
}

export function iso(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

export function optIso(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : iso(value);
}

export function optString(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Drops undefined properties so records compare and serialise cleanly. */
export function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

/** JSON for a `$n::jsonb` parameter. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

export function one<T>(rows: readonly SqlRow[], map: (row: SqlRow) => T): T | undefined {
  const row = rows[0];
  return row === undefined ? undefined : map(row);
}

/** InvalidArgument `invalid_id` unless `id` is a UUID. */
export function assertId(id: string, what = 'id'): void {
  if (!isUuid(id)) throw invalidArgument('invalid_id', `The ${what} must be a UUID.`, { details: { [what]: id } });
}

/** Turns a unique violation of one of `constraints` into Conflict `<code>`; rethrows anything else. */
export function conflictOn(
  constraints: Readonly<Record<string, [code: string, message: string]>>,
): (error: unknown) => never {
  return (error) => {
    const name = violatedConstraint(error);
    const mapped = name === undefined ? undefined : constraints[name];
    if (mapped && isHekimaError(error) && error.kind === 'Conflict') {
      throw conflict(mapped[0], mapped[1], { cause: error });
    }
    throw error;
  };
}
