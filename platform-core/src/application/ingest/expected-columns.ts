import { inputTableNames } from '../../domain/plan/sql-text.js';
import type { SqlAnalysis } from '../../ports/sql-analyzer.js';

/**
 * The columns a product's SQL reads from one input (by its id or underscore form), from the SQL
 * analyzer: what `schema_match` expects the extract to have. Reads the analyzer cannot attribute
 * with certainty are left out (schema_match must not fail on a guess).
 */
export function columnsReadFrom(analysis: SqlAnalysis, inputId: string): string[] {
  const names = new Set(inputTableNames(inputId).map((n) => n.toLowerCase()));
  const columns = analysis.columnReads.filter((r) => names.has(r.table.toLowerCase())).map((r) => r.column);
  return [...new Set(columns)];
}
