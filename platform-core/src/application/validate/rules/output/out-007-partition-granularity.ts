import { defineRule } from '../../rule.js';
import { formatColumnType } from '../../../../domain/column-type.js';
import { indexed, outputColumnMap, removeEntryFix, str, valueOf } from '../../product-unit.js';

export const out007PartitionGranularity = defineRule({
  code: 'OUT-007',
  scope: 'product',
  severity: 'error',
  family: 'output',
  tier: 'full',
  title: 'Partitioning fits the type of the partition field',
  explain: {
    why: 'A partition granularity (hour, day, month, year) truncates a point in time, so it only applies to date and timestamp fields — and a date has no hours. A field of another scalar type (a country code, a store id) is partitioned by its value: leave granularity out. Arrays, maps and json values cannot be partition values at all.',
    bad: 'schema:\n  - name: sale_date\n    type: date\n  - name: country\n    type: string\npartitioning:\n  - field: sale_date\n    granularity: hour     # a date has no hours\n  - field: country\n    granularity: day      # country is not a time',
    good: 'partitioning:\n  - field: sale_date\n    granularity: day\n  - field: country        # partitioned by value',
  },
  check(ctx) {
    const columns = outputColumnMap(ctx.unit);
    for (const { index, raw } of indexed(valueOf(ctx.unit, 'Output')?.['partitioning'])) {
      const field = str(raw['field']);
      const column = field === undefined ? undefined : columns.get(field);
      if (!column?.type) continue;
      const kind = column.type.kind;
      const type = formatColumnType(column.type);
      const base = `/partitioning/${index}`;
      if (kind === 'array' || kind === 'map' || kind === 'json') {
        ctx.report(
          { kind: 'Output', path: `${base}/field` },
          `partition field '${column.name}' has type '${type}', which cannot be a partition value`,
          {
            hint: 'Partition by a date, timestamp or simple scalar column (string, integer, boolean, uuid), or drop this partition field.',
          },
        );
        continue;
      }
      const granularity = str(raw['granularity']);
      if (granularity === undefined) continue;
      if (kind === 'date' && granularity === 'hour') {
        const fix = ctx.replaceFix('Output', `${base}/granularity`, 'day', `Partition '${column.name}' by day`);
        ctx.report(
          { kind: 'Output', path: `${base}/granularity` },
          `granularity 'hour' on partition field '${column.name}', a date: a date has no hours`,
          {
            hint: `Use granularity day, month or year for '${column.name}', or partition by a timestamp column for hourly partitions.`,
            ...(fix ? { fix } : {}),
          },
        );
      } else if (kind !== 'date' && kind !== 'timestamp') {
        const fix = removeEntryFix(ctx.unit, 'Output', `${base}/granularity`, `Partition '${column.name}' by value`);
        ctx.report(
          { kind: 'Output', path: `${base}/granularity` },
          `granularity '${granularity}' on partition field '${column.name}' of type '${type}': granularity only applies to date and timestamp fields`,
          {
            hint: `Remove granularity to partition by the value of '${column.name}', or partition by a date or timestamp column.`,
            ...(fix ? { fix } : {}),
          },
        );
      }
    }
  },
});
