import { defineRule } from '../../rule.js';
import { ownStatements, sqlLogicOf, tableNameFor, uniqueInputs } from './logic-support.js';

export const log010UnusedInput = defineRule({
  code: 'LOG-010',
  scope: 'product',
  severity: 'warning',
  family: 'logic',
  tier: 'full',
  title: 'The SQL reads every declared input',
  explain: {
    why: 'Each declared input is a dependency: an event-scheduled run waits until every input has new data, its timeout and fallback apply, and it counts for lineage and the classification high-water mark. An input the logic never reads delays (or, with fallback: fail, blocks) the product for nothing and overstates its lineage. Only checked when the SQL parses.',
    bad: '# inputs.yaml declares raw-orders and raw-customers\nSELECT order_id, amount\nFROM "raw-orders"',
    good: '# inputs.yaml declares only raw-orders\nSELECT order_id, amount\nFROM "raw-orders"',
  },
  check(ctx) {
    const logic = sqlLogicOf(ctx);
    if (!logic) return;
    const { analysis } = logic;
    if (analysis.error || analysis.statementCount === 0) return;
    // Statements other than queries (INSERT … SELECT) are LOG-002's; their tables are not analyzed.
    if (ownStatements(analysis)?.some((s) => s.type !== 'SelectStmt')) return;
    const read = new Set<string>();
    for (const table of analysis.tables) {
      const id = logic.inputOf(table.name);
      if (id !== undefined) read.add(id);
    }
    for (const input of uniqueInputs(ctx)) {
      if (read.has(input.id)) continue;
      ctx.report(
        { kind: 'Inputs', path: `/inputs/${input.index}/id` },
        `input '${input.id}' is declared but ${logic.path} never reads it`,
        {
          hint: `Read it in the SQL (FROM "${input.id}" or FROM ${tableNameFor(input.id)}), or remove it from inputs.yaml: every run waits for each declared input.`,
        },
      );
    }
  },
});
