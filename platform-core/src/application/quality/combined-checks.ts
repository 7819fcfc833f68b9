import { checkSql } from '../../domain/plan/check-sql.js';
import { OUTPUT_RELATION, referenceRelation, type QualityCheckPlan } from '../../domain/plan/product-plan.js';
import { quoteIdent } from '../../domain/plan/sql-text.js';
import { combinedMeasure, combinedSql, measuredColumn, passedColumn } from '../../domain/quality/combined-checks.js';
import { abortError } from '../../domain/errors.js';
import type { CheckCell, CheckSession } from '../../ports/check-engine.js';

/** What one check's SQL returned: its `measured` and `passed` columns. */
export interface Verdict {
  readonly measured: CheckCell;
  readonly passed: boolean;
}

/**
 * Measures every combinable built-in check of a gate in ONE scan of the new snapshot
 * (`domain/quality/combined-checks.ts`), keyed by the check's index. When that statement fails
 * (a bad column, pattern or expression in one of them), nothing is returned: each check then
 * runs its own SQL and only the faulty one reports an error, as before.
 */
export async function measureTogether(
  checks: readonly QualityCheckPlan[],
  session: CheckSession,
  signal?: AbortSignal,
): Promise<Map<number, Verdict>> {
  const output = quoteIdent(OUTPUT_RELATION);
  const measures = checks.map((check) => (check.sql === undefined ? undefined : combinedMeasure(check, output)));
  const indexes = measures.flatMap((m, i) => (m ? [i] : []));
  const verdicts = new Map<number, Verdict>();
  if (indexes.length === 0) return verdicts;
  let row: Readonly<Record<string, CheckCell>> | undefined;
  try {
    const sql = combinedSql(
      indexes.map((i) => measures[i]!),
      output,
    );
    row = (await session.query(sql, signal)).rows[0];
  } catch {
    if (signal?.aborted) throw abortError(signal, 'the quality gate');
    return verdicts;
  }
  if (!row) return verdicts;
  indexes.forEach((checkIndex, k) =>
    verdicts.set(checkIndex, { measured: row[measuredColumn(k)] ?? null, passed: row[passedColumn(k)] === true }),
  );
  return verdicts;
}

/**
 * Whether a check is a uniqueness check exactly as the generator writes it (a GROUP BY of its
 * key columns with a count): its statements may group dense keys by direct index.
 */
export function groupsByKeys(check: QualityCheckPlan): boolean {
  if (check.type !== 'uniqueness') return false;
  const ctx = { output: quoteIdent(OUTPUT_RELATION), reference: (p: string) => quoteIdent(referenceRelation(p)) };
  const generated = checkSql(check.type, check.config ?? {}, ctx);
  return generated !== undefined && generated.sql === check.sql && generated.samplesSql === check.samples_sql;
}
