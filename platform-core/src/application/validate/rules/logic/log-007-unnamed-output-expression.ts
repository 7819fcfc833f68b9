import type { Fix } from '../../../../domain/finding.js';
import { defineRule } from '../../rule.js';
import {
  excerpt,
  finalSelect,
  logicFix,
  logicTarget,
  missingOutputColumns,
  outputContract,
  sqlIdentifier,
  sqlLogicOf,
} from './logic-support.js';

export const log007UnnamedOutputExpression = defineRule({
  code: 'LOG-007',
  scope: 'product',
  severity: 'warning',
  family: 'logic',
  tier: 'full',
  title: 'Every expression of the final SELECT has a name',
  explain: {
    why: 'The result of the final SELECT is matched to output.yaml by column name. An expression without an alias gets an engine-made name (DuckDB calls it "(amount * 100)", PostgreSQL "?column?"), which never matches a declared column. Give every computed column an alias; a plain column reference keeps its own name.',
    bad: 'SELECT order_id, amount * 100\nFROM "raw-orders"',
    good: 'SELECT order_id, amount * 100 AS amount_cents\nFROM "raw-orders"',
  },
  check(ctx) {
    const logic = sqlLogicOf(ctx);
    if (!logic) return;
    const select = finalSelect(logic.analysis);
    if (!select) return;
    const unnamed = select.filter((c) => c.name === null && !c.star);
    if (unnamed.length === 0) return;
    const contract = outputContract(ctx);
    const missing =
      contract && !select.some((c) => c.star) ? missingOutputColumns(contract, select).map((c) => c.name) : [];
    // The alias is certain only with one nameless expression and one missing column.
    const only = unnamed.length === 1 && missing.length === 1 ? missing[0] : undefined;
    for (const column of unnamed) {
      const expression = excerpt(column.expression || logic.text.slice(column.start, column.end));
      let fix: Fix | undefined;
      if (only !== undefined)
        fix = logicFix(logic, column.end, column.end, ` AS ${sqlIdentifier(only)}`, `Name it '${only}'`);
      ctx.report(
        logicTarget(logic, column.start, column.end),
        `the final SELECT expression '${expression}' has no name, so no output column can match it`,
        {
          hint:
            only !== undefined
              ? `Name it with an alias: ${expression} AS ${sqlIdentifier(only)} ('${only}' is the output.yaml column the SELECT does not produce yet).`
              : missing.length > 0
                ? `Name it with an alias (${expression} AS <column>) after the output.yaml column it computes; not produced yet: ${missing.slice(0, 8).join(', ')}.`
                : `Name it with an alias (${expression} AS <column>), and declare that column in output.yaml, or drop the expression.`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});
