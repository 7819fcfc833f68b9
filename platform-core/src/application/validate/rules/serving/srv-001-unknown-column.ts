import { defineRule } from '../../rule.js';
import { endpointList, outputColumnMap } from '../../product-unit.js';
import { columnReferences, reportUnknownColumns } from '../column-references.js';

/** The config keys that name output columns, per endpoint type (other keys are SCH-007). */
const COLUMN_KEYS: Record<string, readonly string[]> = {
  lookup: ['index_columns', 'tracked_columns', 'primary_key'],
  timeseries: ['time_column'],
  realtime: ['include_columns'],
};

export const srv001UnknownColumn = defineRule({
  code: 'SRV-001',
  scope: 'product',
  severity: 'error',
  family: 'serving',
  tier: 'full',
  title: 'Serving config names columns of output.yaml',
  explain: {
    why: 'Serving stores are projections of the output table: lookup tables are indexed on index_columns (or primary_key) and track tracked_columns, timeseries tables are bucketed on time_column, realtime values hold include_columns. A name that is not a column of output.yaml fails when the store is created or refreshed, after the data was already computed. Usually it is a typo or a renamed column.',
    bad: '# output.yaml has outlet_id, sale_date, total_revenue\nendpoints:\n  - type: lookup\n    config:\n      index_columns: [outlet, sale_date]',
    good: 'endpoints:\n  - type: lookup\n    config:\n      index_columns: [outlet_id, sale_date]',
  },
  check(ctx) {
    const columns = outputColumnMap(ctx.unit);
    if (columns.size === 0) return;
    for (const endpoint of endpointList(ctx.unit)) {
      const keys = endpoint.type === undefined ? undefined : COLUMN_KEYS[endpoint.type];
      if (!keys || !endpoint.config) continue;
      for (const key of keys) {
        const refs = columnReferences(endpoint.config[key], `/endpoints/${endpoint.index}/config/${key}`);
        reportUnknownColumns(
          ctx,
          'Serving',
          refs,
          columns,
          (name) => `${endpoint.type} endpoint ${key} names '${name}'`,
        );
      }
    }
  },
});
