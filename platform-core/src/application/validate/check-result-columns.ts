import type { ExpressionColumns } from '../../ports/check-expressions.js';
import type { SqlAnalyzer } from '../../ports/sql-analyzer.js';
import { sqlResultType } from './sql-result-type.js';

/**
 * `{output}` stands for the output table; the SQL parser reads it as `"output"` (same length,
 * so offsets in the SQL are kept).
 */
const OUTPUT_PLACEHOLDER = /\{output\}/g;
const OUTPUT_TABLE = 'output';

/**
 * The result columns of a custom_sql check: the final SELECT list of its SQL, with what each
 * holds when the SQL tells. Unknown (no `columns`) when the SQL does not parse, is not a single
 * query, or selects `*` from something the analyzer cannot expand — names are then not checked.
 */
export function checkResultColumns(
  sql: string,
  analyzer: SqlAnalyzer,
  outputColumns: readonly string[],
): ExpressionColumns {
  const analysis = analyzer.analyze(sql.replace(OUTPUT_PLACEHOLDER, `"${OUTPUT_TABLE}"`), (table) =>
    table === OUTPUT_TABLE ? outputColumns : undefined,
  );
  if (analysis.error || !analysis.isQuery || analysis.statementCount !== 1 || analysis.usesStar) return {};
  const columns = [];
  const unnamed = [];
  for (const column of analysis.outputColumns) {
    if (column.star) return {};
    if (column.name === null) unnamed.push(column.expression);
    else columns.push({ name: column.name, type: sqlResultType(column.expression), sql: column.expression });
  }
  return unnamed.length > 0 ? { columns, unnamed } : { columns };
}
