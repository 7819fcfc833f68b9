import type { SqlAnalysis, SqlTableFunction, SqlTableRef } from '../../ports/sql-analyzer.js';

type Element<T> = T extends readonly (infer E)[] ? E : never;
export type ColumnRead = Element<SqlAnalysis['columnReads']>;
export type AmbiguousRead = Element<SqlAnalysis['ambiguousReads']>;

/** What the walk of a SQL text found, in the order found. */
export class Findings {
  readonly tables: SqlTableRef[] = [];
  readonly ctes: string[] = [];
  readonly reads: ColumnRead[] = [];
  readonly ambiguous: AmbiguousRead[] = [];
  readonly tableFunctions: SqlTableFunction[] = [];

  /** A separate, throw-away collection (for a trial walk). */
  scratch(): Findings {
    return new Findings();
  }
}
