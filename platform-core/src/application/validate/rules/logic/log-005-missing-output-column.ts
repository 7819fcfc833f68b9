import { nearest } from '../../../../domain/nearest.js';
import { defineRule } from '../../rule.js';
import { finalSelect, missingOutputColumns, outputContract, sqlIdentifier, sqlLogicOf } from './logic-support.js';

export const log005MissingOutputColumn = defineRule({
  code: 'LOG-005',
  scope: 'product',
  severity: 'error',
  family: 'logic',
  tier: 'full',
  title: 'The final SELECT produces every output.yaml column',
  explain: {
    why: 'output.yaml is the contract consumers rely on; the result of the final SELECT is written against it by column name. A declared column the SELECT does not produce fails the write (or, for a nullable column, silently publishes nulls). The finding sits on the output.yaml column — the contract entry that is not met — and names the SQL file to change. When the final SELECT has a * over a source whose columns are unknown, the check is skipped.',
    bad: '# output.yaml declares order_id, amount, ordered_at\nSELECT order_id, amount\nFROM "raw-orders"',
    good: 'SELECT order_id, amount, ordered_at\nFROM "raw-orders"',
  },
  check(ctx) {
    const logic = sqlLogicOf(ctx);
    if (!logic) return;
    const select = finalSelect(logic.analysis);
    if (!select || select.some((c) => c.star)) return;
    const contract = outputContract(ctx);
    if (!contract) return;
    const missing = missingOutputColumns(contract, select);
    if (missing.length === 0) return;
    const declared = new Set(contract.columns.map((c) => c.name.toLowerCase()));
    const undeclared = select.flatMap((c) => (c.name !== null && !declared.has(c.name.toLowerCase()) ? [c.name] : []));
    const unnamed = select.filter((c) => c.name === null).length;
    for (const column of missing) {
      const near = nearest(column.name, undeclared);
      const lead =
        near !== undefined
          ? `The final SELECT produces '${near}': rename it (… AS ${sqlIdentifier(column.name)}) if it is this column. `
          : unnamed > 0
            ? `The final SELECT has ${unnamed === 1 ? 'an expression' : `${unnamed} expressions`} without a name: give the one that computes it an alias (… AS ${sqlIdentifier(column.name)}). `
            : '';
      ctx.report(
        { kind: 'Output', path: `/schema/${column.index}/name` },
        `output column '${column.name}' is not produced by the final SELECT of ${logic.path}`,
        {
          hint: `${lead}Add it to the final SELECT of ${logic.path} (<expression> AS ${sqlIdentifier(column.name)}), or remove it from output.yaml if the product no longer provides it (removing a column is a breaking change: bump the major version).`,
        },
      );
    }
  },
});
