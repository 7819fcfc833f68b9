import type { Fix } from '../../../../domain/finding.js';
import { nearest } from '../../../../domain/nearest.js';
import { defineRule } from '../../rule.js';
import {
  aliasSpan,
  finalSelect,
  fromStar,
  logicFix,
  logicTarget,
  missingOutputColumns,
  outputContract,
  sqlIdentifier,
  sqlLogicOf,
} from './logic-support.js';

export const log006UndeclaredOutputColumn = defineRule({
  code: 'LOG-006',
  scope: 'product',
  severity: 'warning',
  family: 'logic',
  tier: 'full',
  title: 'Every column of the final SELECT is declared in output.yaml',
  explain: {
    why: 'Only the columns declared in output.yaml are part of the contract: they have a type, a role and a classification, and consumers can rely on them. A column the final SELECT produces but output.yaml does not declare is either a misspelt name (and the declared column is then missing) or data published without a contract. Declare it, rename it, or drop it.',
    bad: '# output.yaml declares order_id and amount\nSELECT order_id, amount, amount * 100 AS amount_cents\nFROM "raw-orders"',
    good: 'SELECT order_id, amount\nFROM "raw-orders"\n# or declare amount_cents in output.yaml',
  },
  check(ctx) {
    const logic = sqlLogicOf(ctx);
    if (!logic) return;
    const select = finalSelect(logic.analysis);
    const contract = outputContract(ctx);
    // An output.yaml entry without a name (being edited, or a schema error) might be the column: stay silent.
    if (!select || !contract || !contract.complete || contract.columns.length === 0) return;
    const declared = new Set(contract.columns.map((c) => c.name.toLowerCase()));
    const unexpanded = select.some((c) => c.star);
    const missing = unexpanded ? [] : missingOutputColumns(contract, select).map((c) => c.name);
    for (const column of select) {
      if (column.name === null || column.star || declared.has(column.name.toLowerCase())) continue;
      const star = fromStar(column);
      // Rename only to a declared column that the SELECT does not produce yet.
      const near = nearest(column.name, missing);
      let fix: Fix | undefined;
      if (near !== undefined && !star) {
        const alias = aliasSpan(logic, column);
        const name = sqlIdentifier(near);
        fix = alias
          ? logicFix(logic, alias.start, alias.end, name, `Rename to '${near}'`)
          : column.expression === logic.text.slice(column.start, column.end)
            ? logicFix(logic, column.end, column.end, ` AS ${name}`, `Name it '${near}'`)
            : undefined;
      }
      const suggestion =
        near ??
        nearest(
          column.name,
          contract.columns.map((c) => c.name),
        );
      ctx.report(
        logicTarget(logic, column.start, column.end),
        star
          ? `column '${column.name}' (from ${column.expression.trim()}) of the final SELECT is not declared in output.yaml`
          : `column '${column.name}' of the final SELECT is not declared in output.yaml`,
        {
          hint: `${suggestion !== undefined ? `Did you mean '${suggestion}'? ` : ''}Declare '${column.name}' in output.yaml (name, type, role), ${star ? `or list the columns instead of ${column.expression.trim()}` : 'rename it with AS to a declared column, or drop it from the SELECT'}.`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});
