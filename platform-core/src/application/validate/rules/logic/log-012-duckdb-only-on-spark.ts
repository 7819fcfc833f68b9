import { str, valueOf } from '../../product-unit.js';
import { defineRule } from '../../rule.js';
import { logicTarget, sqlLogicOf } from './logic-support.js';

export const log012DuckdbOnlyOnSpark = defineRule({
  code: 'LOG-012',
  scope: 'product',
  severity: 'warning',
  family: 'logic',
  tier: 'full',
  title: 'A product on Spark uses no DuckDB-only SQL',
  explain: {
    why: 'The SQL is parsed in DuckDB’s dialect, which the default engine runs. A product whose compute.yaml sets engine: spark runs on Spark SQL, which lacks some DuckDB constructs: SELECT * EXCLUDE / REPLACE, COLUMNS(…), QUALIFY, GROUP BY ALL, list and struct literals, list slicing, lambdas, PIVOT, ASOF and POSITIONAL joins, FROM-first queries. The run would fail there. It is a warning: the SQL is valid for DuckDB.',
    bad: '# compute.yaml: engine: spark\nSELECT * EXCLUDE (notes) FROM "raw-orders"\nQUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1',
    good: '# compute.yaml: engine: spark\nSELECT order_id, amount FROM (\n  SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC) AS rn FROM "raw-orders"\n) WHERE rn = 1',
  },
  check(ctx) {
    if (str(valueOf(ctx.unit, 'Compute')?.['engine']) !== 'spark') return;
    const logic = sqlLogicOf(ctx);
    if (!logic || logic.analysis.error) return;
    for (const use of logic.analysis.dialectFeatures ?? []) {
      ctx.report(
        logicTarget(logic, use.start, use.end),
        `${use.feature} is DuckDB SQL that Spark SQL lacks; compute.yaml runs this product on engine: spark`,
        { hint: 'Write the portable form, or run the product on DuckDB (engine: duckdb or auto in compute.yaml).' },
      );
    }
  },
});
