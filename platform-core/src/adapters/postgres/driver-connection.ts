import type { SqlParam, SqlResult } from '../../ports/sql-database.js';

/** What each driver adapter provides to the shared transaction code: one connection, borrowed. */
export interface DriverConnection {
  /** One statement, extended protocol (never several statements), parameters bound. */
  query(text: string, params: readonly SqlParam[]): Promise<SqlResult>;
  /** A parameterless script of one or more statements (simple protocol). */
  exec(script: string): Promise<void>;
}

export interface DriverLease {
  readonly connection: DriverConnection;
  /** Returns the connection; `broken` discards it (pg) after a failed rollback. */
  release(broken: boolean): void;
}
