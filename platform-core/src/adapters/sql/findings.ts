import type { IndirectSubtype } from '../../domain/lineage/lineage-kinds.js';
import type { SqlAnalysis, SqlLineageEdge, SqlTableFunction, SqlTableRef } from '../../ports/sql-analyzer.js';

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
  /** Dataset-level indirect lineage (WHERE, JOIN, GROUP BY, ORDER BY reads). */
  readonly dataset: SqlLineageEdge<IndirectSubtype>[] = [];

  /** A separate, throw-away collection (for a trial walk). */
  scratch(): Findings {
    return new Findings();
  }
}
