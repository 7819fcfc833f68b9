import { defineRule } from '../../rule.js';
import { ENDPOINT_TYPES } from '../../../../domain/manifest/schemas/serving.js';
import { endpointList, lineOf } from '../../product-unit.js';

export const srv005DuplicateEndpoint = defineRule({
  code: 'SRV-005',
  scope: 'product',
  severity: 'warning',
  family: 'serving',
  tier: 'full',
  title: 'Each endpoint type is declared once',
  explain: {
    why: 'Each endpoint type routes the product to one store (lookup → a PostgreSQL table, timeseries → a hypertable, analytics → the lake, realtime → Redis keys). Two endpoints of one type project the same product into the same store twice: they write the same table or key space and overwrite each other’s settings. Put every index column into one lookup endpoint, every granularity into one timeseries endpoint.',
    bad: 'endpoints:\n  - type: lookup\n    config: {index_columns: [outlet_id]}\n  - type: lookup\n    config: {index_columns: [sale_date]}',
    good: 'endpoints:\n  - type: lookup\n    config: {index_columns: [outlet_id, sale_date]}',
  },
  check(ctx) {
    const first = new Map<string, number>();
    for (const endpoint of endpointList(ctx.unit)) {
      const type = endpoint.type;
      if (type === undefined || !(ENDPOINT_TYPES as readonly string[]).includes(type)) continue;
      const seen = first.get(type);
      if (seen === undefined) {
        first.set(type, endpoint.index);
        continue;
      }
      const line = lineOf(ctx.unit, 'Serving', `/endpoints/${seen}/type`);
      ctx.report(
        { kind: 'Serving', path: `/endpoints/${endpoint.index}/type` },
        `a second '${type}' endpoint is declared (the first is at line ${line})`,
        {
          hint: `Merge the two '${type}' endpoints into one: both would write the same store.`,
        },
      );
    }
  },
});
