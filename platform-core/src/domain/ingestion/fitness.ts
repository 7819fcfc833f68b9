import { durationSeconds } from '../duration.js';
import { qualityGateFailed, type HekimaError } from '../errors.js';

/**
 * Ingestion-time fitness functions (inputs.yaml `fitness`), evaluated on the profile of one
 * extract. Pure: the caller measures (row count, columns, NULL counts, newest time) and decides.
 *
 * schema_match compares the extract's columns with the EXPECTED columns: the columns the
 * product's logic reads from this input (found by the SQL analyzer) plus `ingestion_config.columns`
 * when declared, and with the previous run's columns (committed in the connector state): a
 * column that disappeared or changed type fails too. Measured value: the problems, as text.
 */
export interface FitnessDeclaration {
  readonly type: string;
  readonly threshold?: number;
  readonly column?: string;
  readonly max_age?: string;
  readonly severity?: 'error' | 'warn';
}

export interface FitnessFacts {
  readonly rowCount: number;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly nulls: Readonly<Record<string, number>>;
  readonly newestMs: Readonly<Record<string, number | null>>;
  readonly expectedColumns: readonly string[];
  readonly previousColumns?: readonly { readonly name: string; readonly type: string }[];
  readonly nowMs: number;
}

export interface FitnessResult {
  readonly type: string;
  readonly severity: 'error' | 'warn';
  readonly passed: boolean;
  readonly measured: number | string | null;
  readonly threshold: number | string | null;
  readonly message: string;
}

export function evaluateFitness(checks: readonly FitnessDeclaration[], facts: FitnessFacts): FitnessResult[] {
  return checks.map((check) => {
    const severity = check.severity ?? 'error';
    const r = measure(check, facts);
    return { type: check.type, severity, ...r };
  });
}

type Measure = Omit<FitnessResult, 'type' | 'severity'>;

function measure(check: FitnessDeclaration, facts: FitnessFacts): Measure {
  switch (check.type) {
    case 'row_count_min': {
      const threshold = check.threshold ?? 0;
      const passed = facts.rowCount >= threshold;
      return { passed, measured: facts.rowCount, threshold, message: `${facts.rowCount} rows (minimum ${threshold})` };
    }
    case 'null_ratio_max': {
      const column = check.column ?? '';
      const threshold = check.threshold ?? 0;
      if (!facts.columns.some((c) => c.name === column))
        return { passed: false, measured: null, threshold, message: `column "${column}" is not in the extract` };
      const ratio = facts.rowCount === 0 ? 0 : (facts.nulls[column] ?? 0) / facts.rowCount;
      return {
        passed: ratio <= threshold,
        measured: ratio,
        threshold,
        message: `NULL ratio of "${column}" is ${round(ratio)} (maximum ${threshold})`,
      };
    }
    case 'freshness': {
      const column = check.column ?? '';
      const maxAge = durationSeconds(check.max_age ?? '') ?? 0;
      const newest = facts.newestMs[column];
      if (newest === undefined || newest === null)
        return { passed: false, measured: null, threshold: maxAge, message: `no ${column} value to measure freshness` };
      const age = Math.max(0, Math.round((facts.nowMs - newest) / 1000));
      return {
        passed: age <= maxAge,
        measured: age,
        threshold: maxAge,
        message: `newest "${column}" is ${age}s old (maximum ${maxAge}s)`,
      };
    }
    case 'schema_match':
      return schemaMatch(facts);
    default:
      return { passed: false, measured: null, threshold: null, message: `unknown fitness function "${check.type}"` };
  }
}

function schemaMatch(facts: FitnessFacts): Measure {
  if (facts.rowCount === 0 && facts.columns.length === 0)
    return { passed: true, measured: null, threshold: null, message: 'no rows and no columns to compare yet' };
  const have = new Map(facts.columns.map((c) => [c.name.toLowerCase(), c.type]));
  const problems: string[] = [];
  const missing = [...new Set(facts.expectedColumns)].filter((c) => !have.has(c.toLowerCase()));
  if (missing.length > 0) problems.push(`missing ${missing.map((c) => `"${c}"`).join(', ')}`);
  for (const prev of facts.previousColumns ?? []) {
    const now = have.get(prev.name.toLowerCase());
    if (now === undefined && !missing.includes(prev.name)) problems.push(`"${prev.name}" disappeared`);
    else if (now !== undefined && now !== prev.type) problems.push(`"${prev.name}" changed type ${prev.type} → ${now}`);
  }
  const passed = problems.length === 0;
  return {
    passed,
    measured: passed ? null : problems.join('; '),
    threshold: null,
    message: passed ? `${facts.columns.length} columns match` : `schema mismatch: ${problems.join('; ')}`,
  };
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

/**
 * The error for failed `error`-severity checks: QualityGateFailed `fitness_failed` (retryable: the
 * source may be fixed or complete by the next attempt), naming each check and its measured value.
 */
export function fitnessError(input: string, failed: readonly FitnessResult[]): HekimaError {
  const text = failed.map((f) => `${f.type}: ${f.message}`).join('; ');
  return qualityGateFailed('fitness_failed', `Input "${input}" failed fitness at ingestion: ${text}`, {
    details: {
      input,
      checks: failed.map((f) => ({ type: f.type, measured: f.measured, threshold: f.threshold })),
    },
  });
}
