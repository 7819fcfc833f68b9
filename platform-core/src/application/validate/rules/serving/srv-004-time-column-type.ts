import { defineRule } from '../../rule.js';
import { formatColumnType } from '../../../../domain/column-type.js';
import { endpointList, outputColumnMap, outputColumns, str } from '../../product-unit.js';

export const srv004TimeColumnType = defineRule({
  code: 'SRV-004',
  scope: 'product',
  severity: 'error',
  family: 'serving',
  tier: 'full',
  title: 'A timeseries time_column is a date or timestamp',
  explain: {
    why: 'A timeseries endpoint stores rows in time buckets (a hypertable) on time_column and builds its roll-ups (daily, weekly, …) from it. Only a date or timestamp column can be bucketed; a string that looks like a date, or an integer epoch, must be converted in the logic first.',
    bad: 'schema:\n  - name: sale_day\n    type: string\n# serving.yaml\nendpoints:\n  - type: timeseries\n    config:\n      time_column: sale_day',
    good: 'schema:\n  - name: sale_day\n    type: date\n# serving.yaml\nendpoints:\n  - type: timeseries\n    config:\n      time_column: sale_day\n      granularity: [daily, weekly]',
  },
  check(ctx) {
    const columns = outputColumnMap(ctx.unit);
    for (const endpoint of endpointList(ctx.unit)) {
      if (endpoint.type !== 'timeseries' || !endpoint.config) continue;
      const name = str(endpoint.config['time_column']);
      const column = name === undefined ? undefined : columns.get(name);
      if (!column?.type) continue; // unknown column: SRV-001; unparsable type: SCH-005
      if (column.type.kind === 'date' || column.type.kind === 'timestamp') continue;
      const path = `/endpoints/${endpoint.index}/config/time_column`;
      const temporal = [
        ...new Set(
          outputColumns(ctx.unit)
            .filter((c) => c.type?.kind === 'date' || c.type?.kind === 'timestamp')
            .map((c) => c.name),
        ),
      ];
      const only = temporal.length === 1 ? temporal[0] : undefined;
      const fix = only ? ctx.replaceFix('Serving', path, only, `Use '${only}' as time_column`) : undefined;
      ctx.report(
        { kind: 'Serving', path },
        `time_column '${column.name}' has type '${formatColumnType(column.type)}'; a timeseries needs a date or timestamp column`,
        {
          hint:
            temporal.length > 0
              ? `Use a date or timestamp column (${temporal.join(', ')}), or give '${column.name}' type date or timestamp and cast it in the logic.`
              : `Give '${column.name}' type date or timestamp (cast it in the logic), or serve the product another way.`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});
