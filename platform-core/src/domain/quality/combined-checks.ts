import { durationSeconds } from '../duration.js';
import type { QualityCheckPlan } from '../plan/product-plan.js';
import { quoteIdent as q, quoteLiteral, sqlValue } from '../plan/sql-text.js';

/**
 * Built-in checks measured together: every check whose measure is an aggregate over the output
 * (completeness, freshness, volume, range, accepted_values, regex, custom_expression) becomes
 * two columns of ONE aggregate SELECT, so the snapshot is scanned once for all of them.
 *
 * A check joins only when its plan SQL is exactly the statement these same pieces make on their
 * own (`standalone`): the combined columns then compute the very expressions the plan runs, and a
 * plan written otherwise (another generator, hand-edited) keeps running its own SQL.
 */
export interface CombinedMeasure {
  /** Aggregate over the output relation: the check's `measured`. */
  readonly aggregate: string;
  /** `passed`, as an expression of the measured column. */
  readonly passed: (measured: string) => string;
  /** The standalone statement the plan holds for this check. */
  readonly standalone: string;
}

type Config = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** A fraction measure (`measured >= threshold`), as completeness and custom_expression use. */
function fraction(output: string, aggregate: string, threshold: number): CombinedMeasure {
  return {
    aggregate,
    passed: (m) => `${m} >= ${threshold}`,
    standalone: `SELECT measured, measured >= ${threshold} AS passed\nFROM (SELECT ${aggregate} AS measured FROM ${output})`,
  };
}

/** A count of failing rows (`measured = 0`). */
function failures(output: string, failing: string): CombinedMeasure {
  return {
    aggregate: `COUNT(*) FILTER (WHERE ${failing})`,
    passed: (m) => `${m} = 0`,
    standalone: `SELECT COUNT(*) AS measured, COUNT(*) = 0 AS passed\nFROM ${output}\nWHERE ${failing}`,
  };
}

/** The combinable measure of a check over `output` (already quoted), or undefined. */
export function combinedMeasure(check: QualityCheckPlan, output: string): CombinedMeasure | undefined {
  const config: Config = check.config ?? {};
  let measure: CombinedMeasure | undefined;
  switch (check.type) {
    case 'completeness': {
      const c = q(str(config['column']));
      measure = fraction(
        output,
        `CASE WHEN COUNT(*) = 0 THEN 1.0 ELSE COUNT(${c}) / COUNT(*) END`,
        num(config['threshold'], 1),
      );
      break;
    }
    case 'custom_expression': {
      const expr = str(config['expression']);
      measure = fraction(
        output,
        `CASE WHEN COUNT(*) = 0 THEN 1.0 ELSE AVG(CASE WHEN (${expr}) THEN 1.0 ELSE 0.0 END) END`,
        num(config['threshold'], 1),
      );
      break;
    }
    case 'freshness': {
      const c = q(str(config['column']));
      const maxAge = durationSeconds(str(config['max_age'])) ?? 0;
      const aggregate = `epoch(CAST(now() AS TIMESTAMP)) - epoch(MAX(CAST(${c} AS TIMESTAMP)))`;
      measure = {
        aggregate,
        passed: (m) => `COALESCE(${m} <= ${maxAge}, FALSE)`,
        standalone: `SELECT measured, COALESCE(measured <= ${maxAge}, FALSE) AS passed\nFROM (SELECT ${aggregate} AS measured FROM ${output})`,
      };
      break;
    }
    case 'volume': {
      const bounds = (m: string): string =>
        [
          ...(typeof config['min_rows'] === 'number' ? [`${m} >= ${config['min_rows']}`] : []),
          ...(typeof config['max_rows'] === 'number' ? [`${m} <= ${config['max_rows']}`] : []),
        ].join(' AND ') || 'TRUE';
      measure = {
        aggregate: 'COUNT(*)',
        passed: bounds,
        standalone: `SELECT measured, ${bounds('measured')} AS passed\nFROM (SELECT COUNT(*) AS measured FROM ${output})`,
      };
      break;
    }
    case 'range': {
      const c = q(str(config['column']));
      const parts = [
        ...(config['min'] !== undefined ? [`${c} < ${sqlValue(config['min'])}`] : []),
        ...(config['max'] !== undefined ? [`${c} > ${sqlValue(config['max'])}`] : []),
      ];
      measure = failures(output, parts.length ? `(${parts.join(' OR ')})` : 'FALSE');
      break;
    }
    case 'accepted_values': {
      const c = q(str(config['column']));
      const values = Array.isArray(config['values']) ? config['values'].map(sqlValue).join(', ') : '';
      measure = failures(output, `${c} IS NOT NULL AND ${c} NOT IN (${values || 'NULL'})`);
      break;
    }
    case 'regex': {
      const c = q(str(config['column']));
      const pattern = quoteLiteral(str(config['pattern']));
      measure = failures(output, `${c} IS NOT NULL AND NOT regexp_matches(CAST(${c} AS VARCHAR), ${pattern})`);
      break;
    }
    default:
      return undefined;
  }
  return measure.standalone === check.sql ? measure : undefined;
}

/** Column names of the combined SELECT for the i-th check. */
export const measuredColumn = (i: number): string => `measured_${i}`;
export const passedColumn = (i: number): string => `passed_${i}`;

/** ONE statement measuring every given check: `measured_i` and `passed_i` per check. */
export function combinedSql(measures: readonly CombinedMeasure[], output: string): string {
  const aggregates = measures.map((m, i) => `${m.aggregate} AS ${measuredColumn(i)}`).join(',\n  ');
  const verdicts = measures
    .map((m, i) => `${measuredColumn(i)}, ${m.passed(measuredColumn(i))} AS ${passedColumn(i)}`)
    .join(',\n  ');
  return `SELECT\n  ${verdicts}\nFROM (SELECT\n  ${aggregates}\nFROM ${output})`;
}
