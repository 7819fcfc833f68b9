import type { JsonValue } from '../json.js';
import type { ResultClassification } from './result-masking.js';

export const CHECK_STATUSES = ['passed', 'failed', 'error', 'skipped'] as const;
/** `failed`: the data broke the check; `error`: the check itself could not run (counts as failing). */
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export type CheckSeverity = 'error' | 'warn';

/** A sample failing row (stored unmasked; masked per the reader by `maskOutcome` when read). */
export type SampleRow = Readonly<Record<string, JsonValue>>;

/** The outcome of one check over one snapshot. */
export interface CheckOutcome {
  readonly name: string;
  readonly type: string;
  readonly severity: CheckSeverity;
  /** `error` severity: a failure blocks promotion and downstream runs. */
  readonly blocking: boolean;
  readonly status: CheckStatus;
  /** What was measured (a count, a fraction, seconds of age, the custom check's value). */
  readonly measured: JsonValue;
  /** What it was compared with (the config's threshold/bounds, the `expect` text). */
  readonly threshold: JsonValue;
  /** Why it passed or failed, in words (the expect explanation, the Python message, the error). */
  readonly message: string;
  /**
   * Up to 20 failing rows. An outcome straight from the gate or the catalog is UNMASKED: whatever
   * shows it to someone masks it for that reader first (`maskOutcome`, `publicOutcome`).
   */
  readonly samples: readonly SampleRow[];
}

/** A stored result (the `quality_results` table). */
export interface QualityResult extends CheckOutcome {
  readonly id: string;
  readonly tenantId: string;
  readonly productId: string;
  readonly executionId?: string;
  readonly snapshotId?: string;
  /** The classification the values carry (absent on rows stored before it was recorded). */
  readonly classification?: ResultClassification;
  readonly createdAt: string;
}

export interface NewQualityResult extends CheckOutcome {
  readonly productId: string;
  readonly classification?: ResultClassification;
  readonly executionId?: string;
  readonly snapshotId?: string;
}

export function severityOf(value: string): CheckSeverity {
  return value === 'warn' || value === 'warning' ? 'warn' : 'error';
}

export function isFailing(outcome: Pick<CheckOutcome, 'status'>): boolean {
  return outcome.status === 'failed' || outcome.status === 'error';
}

/** passing / (total − skipped) × 100, rounded to 2 decimals; 100 when nothing ran. */
export function qualityScore(outcomes: readonly Pick<CheckOutcome, 'status'>[]): number {
  const counted = outcomes.filter((o) => o.status !== 'skipped');
  if (counted.length === 0) return 100;
  const passing = counted.filter((o) => o.status === 'passed').length;
  return Math.round((passing / counted.length) * 10_000) / 100;
}

export interface GateOutcome {
  /** False when any blocking check failed: the snapshot must not be promoted. */
  readonly promote: boolean;
  readonly score: number;
  readonly checks: readonly CheckOutcome[];
  /** Blocking checks that failed. */
  readonly blockingFailures: readonly CheckOutcome[];
  /** Warn checks that failed (recorded; the data is still promoted). */
  readonly warnings: readonly CheckOutcome[];
}

export function gateOutcome(checks: readonly CheckOutcome[]): GateOutcome {
  const blockingFailures = checks.filter((c) => c.blocking && isFailing(c));
  return {
    promote: blockingFailures.length === 0,
    score: qualityScore(checks),
    checks,
    blockingFailures,
    warnings: checks.filter((c) => !c.blocking && isFailing(c)),
  };
}
