import { resolveInput } from '../../workspace-index.js';
import { defineRule } from '../../rule.js';
import { nearest } from '../../../../domain/nearest.js';
import { checkList, nameList, str } from '../../product-unit.js';

export const qua005ReferentialTarget = defineRule({
  code: 'QUA-005',
  scope: 'workspace',
  severity: 'error',
  family: 'quality',
  tier: 'full',
  title: 'Referential checks point at an existing product and column',
  explain: {
    why: 'A referential check verifies that every value of a column exists in reference_column of reference_product (a foreign key across products). When that product is not in the workspace, or has no such output column, the check cannot be compiled and fails after every run. The referenced product should normally also be an input, so that its snapshot is consistent with this run.',
    bad: 'checks:\n  - name: known_customer\n    type: referential\n    config:\n      column: customer_id\n      reference_product: customer      # no such product\n      reference_column: id',
    good: 'checks:\n  - name: known_customer\n    type: referential\n    config:\n      column: customer_id\n      reference_product: customers\n      reference_column: customer_id',
  },
  // Workspace scope: the nearest-name suggestion reads every product name, which a product rule may not.
  check(ctx) {
    let names: string[] | undefined;
    for (const summary of ctx.index.summaries) {
      const unit = summary.unit;
      for (const check of checkList(unit)) {
        if (check.type !== 'referential' || !check.config) continue;
        const product = str(check.config['reference_product']);
        if (product === undefined || product === '') continue;
        const base = `/checks/${check.index}/config`;
        const label = check.name ?? String(check.index + 1);
        const target = resolveInput(ctx.index, summary, product).target ?? ctx.index.productsNamed(product)[0];
        if (!target) {
          names ??= ctx.index.names().sort();
          const near = nearest(product, names);
          const fix = near
            ? ctx.replaceFix(unit, 'Quality', `${base}/reference_product`, near, `Replace '${product}' with '${near}'`)
            : undefined;
          ctx.report(
            unit,
            { kind: 'Quality', path: `${base}/reference_product` },
            `referential check '${label}' references product '${product}', which is not a product of the workspace`,
            {
              hint: `${near ? `Did you mean '${near}'? ` : ''}${names.length > 0 ? `Products of the workspace: ${nameList(names)}.` : 'The workspace has no product of that name.'}`,
              ...(fix ? { fix } : {}),
            },
          );
          continue;
        }
        const column = str(check.config['reference_column']);
        if (column === undefined || target.columns.size === 0 || target.columns.has(column)) continue;
        const near = nearest(column, target.columns.keys());
        const fix = near
          ? ctx.replaceFix(unit, 'Quality', `${base}/reference_column`, near, `Replace '${column}' with '${near}'`)
          : undefined;
        const identity = [...target.columns.values()].filter((c) => c.role === 'identity').map((c) => c.name);
        ctx.report(
          unit,
          { kind: 'Quality', path: `${base}/reference_column` },
          `referential check '${label}' references column '${column}', which is not an output column of '${product}'`,
          {
            hint: `${near ? `Did you mean '${near}'? ` : ''}Columns of '${product}': ${nameList(target.columns.keys())}${identity.length > 0 ? ` (identity: ${identity.join(', ')})` : ''}.`,
            ...(fix ? { fix } : {}),
          },
        );
      }
    }
  },
});
