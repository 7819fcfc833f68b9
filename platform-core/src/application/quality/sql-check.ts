import type { JsonValue } from '../../domain/json.js';
import type { QualityCheckPlan } from '../../domain/plan/product-plan.js';
import type { CheckStatus } from '../../domain/quality/quality-result.js';
import type { CheckCell, CheckQueryOptions, CheckSession } from '../../ports/check-engine.js';
import type { CheckExpressions } from '../../ports/check-expressions.js';
import { describeMeasure, thresholdOf } from './check-thresholds.js';
import { groupsByKeys, type Verdict } from './combined-checks.js';

/** What one check measured, before severity, masking and storage. */
export interface Measurement {
  readonly status: CheckStatus;
  readonly measured: JsonValue;
  readonly threshold: JsonValue;
  readonly message: string;
  /** Unmasked failing rows (at most 20). */
  readonly samples: readonly Readonly<Record<string, JsonValue>>[];
}

/** A number for storage: bigint as number when safe, else as text. */
export function jsonCell(value: CheckCell): JsonValue {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return value;
}

/**
 * A built-in check (its SQL returns `measured` and `passed`) or a custom_sql check (its single
 * row is judged by `expect` through the CheckExpressions port). Failing rows come from
 * `samples_sql` when the plan has one.
 */
export async function runSqlCheck(
  check: QualityCheckPlan,
  session: CheckSession,
  expressions: CheckExpressions,
  signal?: AbortSignal,
  /** The check's `measured`/`passed`, when the gate already measured it with others in one scan. */
  verdict?: Verdict,
): Promise<Measurement> {
  if (verdict && check.type !== 'custom_sql') return judge(check, verdict, session, signal);
  const result = await session.query(check.sql ?? '', signal, options(check));
  const row = result.rows[0];
  if (check.type !== 'custom_sql')
    return judge(check, { measured: row?.['measured'] ?? null, passed: row?.['passed'] === true }, session, signal);
  const threshold = thresholdOf(check);
  if (!row || result.rows.length !== 1) {
    return {
      status: 'failed',
      measured: result.rows.length,
      threshold,
      message: `failed: the check's SQL must return exactly one row, it returned ${result.rows.length}`,
      samples: [],
    };
  }
  const evaluation = expressions.evaluate(check.expect ?? '', row);
  const passed = evaluation.pass;
  const measured: JsonValue = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonCell(v)]));
  const message = `${passed ? 'passed' : 'failed'}: ${evaluation.explanation}${evaluation.error ? ` (${evaluation.error.message})` : ''}`;
  const samples = !passed && check.samples_sql ? (await session.query(check.samples_sql, signal)).json : [];
  return { status: passed ? 'passed' : 'failed', measured, threshold, message, samples };
}

/** A built-in check's outcome from its measured value; failing rows are fetched only when it failed. */
async function judge(
  check: QualityCheckPlan,
  verdict: Verdict,
  session: CheckSession,
  signal?: AbortSignal,
): Promise<Measurement> {
  const measured = jsonCell(verdict.measured);
  const { passed } = verdict;
  const message = describeMeasure(check, measured, passed);
  const samples =
    !passed && check.samples_sql ? (await session.query(check.samples_sql, signal, options(check))).json : [];
  return { status: passed ? 'passed' : 'failed', measured, threshold: thresholdOf(check), message, samples };
}

function options(check: QualityCheckPlan): CheckQueryOptions | undefined {
  return groupsByKeys(check) ? { keyGrouping: true } : undefined;
}
