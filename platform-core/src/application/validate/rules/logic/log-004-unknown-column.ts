import { nearest } from '../../../../domain/nearest.js';
import { nameList } from '../../product-unit.js';
import { defineRule, type ProductRuleContext } from '../../rule.js';
import {
  identifierOf,
  logicFix,
  logicTarget,
  sameName,
  sqlIdentifier,
  sqlLogicOf,
  upstreamColumns,
} from './logic-support.js';

/** Columns DuckDB provides on every table without declaring them. */
const PSEUDO_COLUMNS = new Set(['rowid']);

export const log004UnknownColumn = defineRule({
  code: 'LOG-004',
  scope: 'product',
  severity: 'error',
  family: 'logic',
  tier: 'full',
  title: 'The SQL reads only columns its data_product inputs publish',
  explain: {
    why: 'The columns of a data_product input are the output.yaml columns of the upstream product: its published contract. A column the contract lacks fails the run with a binder error — typically after an upstream rename or a typo. The check is certain only where the SQL says where a column comes from; when it cannot tell (unknown columns, sources it cannot see through) it stays silent rather than guess.',
    bad: '# orders/output.yaml declares order_id, customer_id, amount\nSELECT customer_id, SUM(amout) AS revenue\nFROM orders\nGROUP BY customer_id',
    good: 'SELECT customer_id, SUM(amount) AS revenue\nFROM orders\nGROUP BY customer_id',
  },
  check(ctx) {
    const logic = sqlLogicOf(ctx);
    if (!logic || logic.analysis.error) return;
    const { analysis } = logic;
    const columnsOf = memoColumns(ctx);
    // Names that an unqualified reference may mean besides a column: a whole-row reference to a table, alias or CTE.
    const relationNames = new Set<string>([
      ...analysis.ctes.map((n) => n.toLowerCase()),
      ...analysis.tables.flatMap((t) => [
        t.name.toLowerCase(),
        ...(t.alias === undefined ? [] : [t.alias.toLowerCase()]),
      ]),
      ...(analysis.tableFunctions ?? []).map((f) => f.name.toLowerCase()),
    ]);
    const plausible = (column: string, start: number, end: number): boolean =>
      // The written name is the column itself (not a CTE or sub-query alias that leads to it).
      sameName(identifierOf(logic.text.slice(start, end)), column) &&
      !PSEUDO_COLUMNS.has(column.toLowerCase()) &&
      !relationNames.has(column.toLowerCase());

    for (const read of analysis.columnReads) {
      const id = logic.inputOf(read.table);
      const columns = id === undefined ? undefined : columnsOf(id);
      if (id === undefined || columns === undefined) continue;
      if (columns.has(read.column.toLowerCase()) || !plausible(read.column, read.start, read.end)) continue;
      const near = nearest(read.column, columns.values());
      const fix =
        near === undefined
          ? undefined
          : logicFix(logic, read.start, read.end, sqlIdentifier(near), `Read column '${near}'`);
      ctx.report(logicTarget(logic, read.start, read.end), `input '${id}' has no column '${read.column}'`, {
        hint: `${near !== undefined ? `Did you mean '${near}'? ` : ''}The columns of input '${id}' are the output.yaml columns of product '${id}': ${nameList(columns.values(), 12)}.`,
        ...(fix ? { fix } : {}),
      });
    }

    for (const read of analysis.ambiguousReads) {
      if (read.tables.length === 0 || !plausible(read.column, read.start, read.end)) continue;
      const ids = [...new Set(read.tables.map((t) => logic.inputOf(t)))];
      if (ids.some((id) => id === undefined)) continue;
      const known = (ids as string[]).map((id) => ({ id, columns: columnsOf(id) }));
      if (known.some((k) => k.columns === undefined)) continue;
      if (known.some((k) => k.columns!.has(read.column.toLowerCase()))) continue;
      const all = known.flatMap((k) => [...k.columns!.values()].map((column) => ({ id: k.id, column })));
      const near = nearest(read.column, new Set(all.map((a) => a.column)));
      const owners = near === undefined ? [] : all.filter((a) => a.column === near).map((a) => a.id);
      const names = known.map((k) => `'${k.id}'`).join(', ');
      // Only a unique suggestion is safe to apply unqualified.
      const fix =
        near !== undefined && owners.length === 1
          ? logicFix(logic, read.start, read.end, sqlIdentifier(near), `Read column '${near}'`)
          : undefined;
      ctx.report(
        logicTarget(logic, read.start, read.end),
        `column '${read.column}' is in none of the inputs it could come from (${names})`,
        {
          hint: `${near !== undefined ? `Did you mean '${near}' (of ${owners.map((o) => `'${o}'`).join(', ')})? ` : ''}The columns of a data_product input are the output.yaml columns of that product; qualify the column with its table alias to make clear where it comes from.`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});

function memoColumns(ctx: ProductRuleContext): (id: string) => Map<string, string> | undefined {
  const cache = new Map<string, Map<string, string> | undefined>();
  return (id) => {
    if (!cache.has(id)) cache.set(id, upstreamColumns(ctx, id));
    return cache.get(id);
  };
}
