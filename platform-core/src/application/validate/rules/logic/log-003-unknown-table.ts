import { nearest } from '../../../../domain/nearest.js';
import { tableNamesOf } from '../../logic-context.js';
import { nameList, productName } from '../../product-unit.js';
import { defineRule } from '../../rule.js';
import {
  externalReads,
  inNonQueryStatement,
  logicFix,
  logicTarget,
  sqlIdentifier,
  sqlLogicOf,
  tableNameFor,
  uniqueInputs,
} from './logic-support.js';

export const log003UnknownTable = defineRule({
  code: 'LOG-003',
  scope: 'product',
  severity: 'error',
  family: 'logic',
  tier: 'full',
  title: 'The SQL reads only declared inputs',
  explain: {
    why: 'A product’s logic sees exactly the inputs of its inputs.yaml, each as a table named by its id: quoted as written ("raw-orders") or with underscores (raw_orders). Any other table does not exist at run time, and reading another product without declaring it would also hide the dependency from the scheduler, the lineage and the classification checks. Schema-qualified names (main.orders) are refused for the same reason.',
    bad: '# inputs.yaml declares raw-orders\nSELECT o.order_id, c.name\nFROM raw_order o\nJOIN customers c ON c.customer_id = o.customer_id',
    good: '# inputs.yaml declares raw-orders and customers (type: data_product)\nSELECT o.order_id, c.name\nFROM raw_orders o\nJOIN customers c ON c.customer_id = o.customer_id',
  },
  check(ctx) {
    const logic = sqlLogicOf(ctx);
    if (!logic) return;
    const { analysis } = logic;
    if (analysis.error) return;
    const inputs = uniqueInputs(ctx);
    const idOfTable = new Map<string, string>();
    for (const input of inputs)
      for (const name of tableNamesOf(input.id)) if (!idOfTable.has(name)) idOfTable.set(name, input.id);
    const files = new Set(
      externalReads(logic)
        .reads.filter((r) => r.kind === 'path')
        .map((r) => r.start),
    );
    const self = productName(ctx.unit);
    const first = inputs[0]?.id ?? 'raw-orders';
    const example = first.includes('-') ? `"${first}" or ${tableNameFor(first)}` : tableNameFor(first);
    const declared =
      inputs.length > 0 ? `Declared inputs: ${nameList(inputs.map((i) => i.id))}.` : 'inputs.yaml declares no inputs.';
    for (const table of analysis.tables) {
      if (files.has(table.start)) continue; // a file path: LOG-011
      if (inNonQueryStatement(analysis, table.start)) continue; // INSERT INTO t, DELETE FROM t: LOG-002
      const written = logic.text.slice(table.start, table.end) || table.name;
      const target = logicTarget(logic, table.start, table.end);
      const inputId = logic.inputOf(table.name);
      if (table.schema !== undefined) {
        const id = inputId ?? suggestion(table.name, idOfTable);
        const replacement =
          id === undefined
            ? undefined
            : inputId !== undefined
              ? table.quoted
                ? `"${table.name.replace(/"/g, '""')}"`
                : sqlIdentifier(table.name)
              : tableNameFor(id);
        const fix =
          replacement === undefined
            ? undefined
            : logicFix(logic, table.start, table.end, replacement, `Read input '${id}' as ${replacement}`);
        ctx.report(target, `table '${written}' is schema-qualified; the logic reads only its inputs, by input id`, {
          hint:
            inputId !== undefined
              ? `Drop the schema: write ${replacement}. Inputs are tables without a schema.`
              : `Read a declared input by its id, without a schema${id !== undefined ? ` (did you mean '${id}'?)` : ''}. ${declared}`,
          ...(fix ? { fix } : {}),
        });
        continue;
      }
      if (inputId !== undefined) continue;
      if (self !== null && tableNamesOf(self).includes(table.name)) {
        ctx.report(target, `table '${written}' is this product's own output; the logic reads only its inputs`, {
          hint: `A product cannot read its own output. Read its inputs instead. ${declared}`,
        });
        continue;
      }
      const product = workspaceProduct(ctx, table.name);
      if (product !== undefined) {
        ctx.report(
          target,
          `table '${written}' is the product '${product}' of the workspace, which inputs.yaml does not declare`,
          {
            hint: `Add it to inputs.yaml so that the run waits for it and the logic can read it:\n  - id: ${product}\n    type: data_product\n    version: ">=1.0.0"`,
          },
        );
        continue;
      }
      const id = suggestion(table.name, idOfTable);
      const replacement = id === undefined ? undefined : tableNameFor(id);
      const fix =
        id === undefined || replacement === undefined
          ? undefined
          : logicFix(logic, table.start, table.end, replacement, `Read input '${id}' instead`);
      ctx.report(target, `table '${written}' is not a declared input of this product`, {
        hint:
          id !== undefined
            ? `Did you mean input '${id}' (${replacement})? ${declared}`
            : `Read one of the declared inputs, by id or in underscore form (${example}), or declare the table in inputs.yaml. ${declared}`,
        ...(fix ? { fix } : {}),
      });
    }
  },
});

/** The input id whose table name is nearest to the name, if any is close. */
function suggestion(name: string, idOfTable: ReadonlyMap<string, string>): string | undefined {
  const near = nearest(name, idOfTable.keys());
  return near === undefined ? undefined : idOfTable.get(near);
}

/** The product of the workspace a table name designates (by id or underscore form), if any. */
function workspaceProduct(ctx: Parameters<typeof log003UnknownTable.check>[0], table: string): string | undefined {
  for (const candidate of new Set([table, table.replace(/_/g, '-')])) {
    if (ctx.index.productsNamed(candidate).length > 0) return candidate;
  }
  return undefined;
}
