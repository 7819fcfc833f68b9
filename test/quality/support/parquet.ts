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
