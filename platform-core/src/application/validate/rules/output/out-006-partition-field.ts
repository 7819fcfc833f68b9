import { defineRule } from '../../rule.js';
import { nearest } from '../../../../domain/nearest.js';
import { indexed, nameList, outputColumnMap, str, valueOf } from '../../product-unit.js';

export const out006PartitionField = defineRule({
  code: 'OUT-006',
  scope: 'product',
  severity: 'error',
  family: 'output',
  tier: 'full',
  title: 'Partition fields are columns of the schema',
  explain: {
    why: 'Snapshots are partitioned by the values of schema columns (e.g. one partition per sale_date). A partition field that is not a column of output.yaml cannot be computed, so the first write to the lake fails. Usually it is a typo or a column that was renamed.',
    bad: 'schema:\n  - name: sale_date\n    type: date\npartitioning:\n  - field: sales_date\n    granularity: day',
    good: 'schema:\n  - name: sale_date\n    type: date\npartitioning:\n  - field: sale_date\n    granularity: day',
  },
  check(ctx) {
    const columns = outputColumnMap(ctx.unit);
    if (columns.size === 0) return;
    for (const { index, raw } of indexed(valueOf(ctx.unit, 'Output')?.['partitioning'])) {
      const field = str(raw['field']);
      if (field === undefined || columns.has(field)) continue;
      const path = `/partitioning/${index}/field`;
      const near = nearest(field, columns.keys());
      const fix = near ? ctx.replaceFix('Output', path, near, `Replace '${field}' with '${near}'`) : undefined;
      ctx.report({ kind: 'Output', path }, `partition field '${field}' is not a column of the output schema`, {
        hint: `${near ? `Did you mean '${near}'? ` : ''}Partition by one of the columns: ${nameList(columns.keys())}.`,
        ...(fix ? { fix } : {}),
      });
    }
  },
});
