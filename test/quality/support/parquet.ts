import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { checkSql } from '../../../platform-core/src/domain/plan/check-sql.js';
import {
  OUTPUT_RELATION,
  referenceRelation,
  type QualityCheckPlan,
} from '../../../platform-core/src/domain/plan/product-plan.js';
import { quoteIdent } from '../../../platform-core/src/domain/plan/sql-text.js';

/** Writes the rows of a SELECT as a Parquet file (a hand-made snapshot). */
export async function writeParquet(path: string, select: string): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (${select}) TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return path;
}

const ctx = { output: quoteIdent(OUTPUT_RELATION), reference: (p: string) => quoteIdent(referenceRelation(p)) };

/** A check as the plan generator writes it (same SQL as `application/generate/build-plan.ts`). */
export function planCheck(
  name: string,
  type: string,
  config: Record<string, unknown> = {},
  extra: { severity?: string; sql?: string; expect?: string; entrypoint?: string } = {},
): QualityCheckPlan {
  const generated = checkSql(type, config, ctx, extra.sql);
  return {
    name,
    type,
    severity: extra.severity ?? 'error',
    config,
    ...(generated
      ? { sql: generated.sql, ...(generated.samplesSql ? { samples_sql: generated.samplesSql } : {}) }
      : {}),
    ...(type === 'custom_sql' ? { expect: extra.expect ?? '' } : {}),
    ...(extra.entrypoint !== undefined ? { entrypoint: extra.entrypoint, call: 'check(output)' } : {}),
  };
}

/**
 * The snapshot the built-in check suites measure (four rows with a duplicate id, a negative qty,
 * a NULL store and code, an unknown store) and the `stores` reference product it joins.
 */
export async function writeCheckSnapshots(dir: string): Promise<{ output: string; stores: string }> {
  const output = await writeParquet(
    join(dir, 'output.parquet'),
    `SELECT * FROM (VALUES
       (1, 'S1', 'open',   5,  'ABC', now()::TIMESTAMP - INTERVAL 1 HOUR),
       (2, 'S2', 'closed', 12, 'abc', now()::TIMESTAMP - INTERVAL 2 HOUR),
       (2, 'S9', 'gone',   -1, NULL,  now()::TIMESTAMP - INTERVAL 3 HOUR),
       (4, NULL, 'open',   7,  'XYZ', now()::TIMESTAMP - INTERVAL 4 HOUR)
     ) AS t(id, store_id, status, qty, code, updated_at)`,
  );
  const stores = await writeParquet(
    join(dir, 'stores.parquet'),
    `SELECT * FROM (VALUES ('S1'), ('S2')) AS t(store_id)`,
  );
  return { output, stores };
}
