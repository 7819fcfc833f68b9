import { abortError, qualityGateFailed, throwIfAborted, type HekimaError } from '../../domain/errors.js';
import { OUTPUT_RELATION, referenceRelation, type QualityCheckPlan } from '../../domain/plan/product-plan.js';
import {
  publicOutcome,
  UNKNOWN_CLASSIFICATION,
  type ResultClassification,
} from '../../domain/quality/result-masking.js';
import { gateOutcome, severityOf, type CheckOutcome, type GateOutcome } from '../../domain/quality/quality-result.js';
import type { CheckEngine, CheckSession } from '../../ports/check-engine.js';
import type { CheckExpressions } from '../../ports/check-expressions.js';
import type { Engine } from '../../ports/engine.js';
import type { PythonRunner } from '../../ports/python-runner.js';
import type { ScratchSpace } from '../../ports/scratch-space.js';
import { runPythonCheck } from './python-check.js';
import { describeMeasure } from './check-thresholds.js';
import { groupsByKeys, measureTogether, type Verdict } from './combined-checks.js';
import { runSqlCheck, type Measurement } from './sql-check.js';

export interface QualityGateDeps {
  readonly checkEngine: CheckEngine;
  readonly expressions: CheckExpressions;
  /** Needed for custom_python checks only (they fail as `error` without them). */
  readonly engine?: Engine;
  readonly python?: PythonRunner;
  readonly scratch?: ScratchSpace;
}

export interface QualityGateRequest {
  /** The plan's checks (`plan.quality`). */
  readonly checks: readonly QualityCheckPlan[];
  /** Absolute path of the NEW snapshot's Parquet file (bound as the `output` view). */
  readonly outputPath: string;
  /** Current committed snapshot file of each referenced product, by product name (`referenceSnapshots`). */
  readonly references?: Readonly<Record<string, string>>;
  /** The workspace root (custom_python entrypoints are relative to it). */
  readonly workspaceRoot?: string;
  readonly pythonTimeoutMs?: number;
  /**
   * Columns the new snapshot is already known unique on: output.yaml's primary key, which the
   * engine verified (or proved) when it wrote the snapshot. A uniqueness check over these columns,
   * or more, cannot find a duplicate and is not run again.
   */
  readonly uniqueKey?: readonly string[];
  /** Progress: called after each check with its outcome (UNMASKED: mask it before showing it to anyone). */
  readonly onCheck?: (outcome: CheckOutcome, index: number, total: number) => void;
  readonly limits?: { readonly memoryBytes?: number; readonly threads?: number };
  readonly signal?: AbortSignal;
}

/**
 * Runs every check of a product's plan over a new snapshot, before promotion (docs/adr/0011).
 * A check that cannot run (bad SQL, missing reference, Python exception) is `error`, which fails
 * like `failed`. Returns the gate outcome; `assertGatePassed` turns a blocking one into
 * QualityGateFailed. Outcomes are NOT masked: they are stored as they are (with their
 * classification, `recordGate`) and masked per the READER's clearance wherever they are read
 * (`maskOutcome`); what travels further (errors, logs, events) takes `publicOutcome`.
 */
export async function runQualityGate(deps: QualityGateDeps, request: QualityGateRequest): Promise<GateOutcome> {
  const { signal } = request;
  throwIfAborted(signal, 'the quality gate');
  const refs = request.references ?? {};
  const relations = [
    { name: OUTPUT_RELATION, path: request.outputPath },
    ...Object.entries(refs).map(([product, path]) => ({ name: referenceRelation(product), path })),
  ];
  const needsSql = request.checks.some((c) => c.type !== 'custom_python');
  const session = needsSql ? await deps.checkEngine.open(relations, request.limits, signal) : undefined;
  const outcomes: CheckOutcome[] = [];
  try {
    // One scan for every aggregate check; uniqueness, referential and custom ones run alone.
    const verdicts = session ? await measureTogether(request.checks, session, signal) : new Map<number, Verdict>();
    for (const [index, check] of request.checks.entries()) {
      throwIfAborted(signal, 'the quality gate');
      const verdict = verdicts.get(index);
      const measurement = await measure(deps, check, session, request, verdict).catch((error: unknown): Measurement => {
        if (signal?.aborted) throw abortError(signal, 'the quality gate');
        return {
          status: 'error',
          measured: null,
          threshold: null,
          message: `error: ${(error as Error).message}`,
          samples: [],
        };
      });
      const severity = severityOf(check.severity);
      const outcome: CheckOutcome = {
        name: check.name,
        type: check.type,
        severity,
        blocking: severity === 'error',
        ...measurement,
        samples: measurement.samples.slice(0, 20),
      };
      outcomes.push(outcome);
      request.onCheck?.(outcome, outcomes.length - 1, request.checks.length);
    }
  } finally {
    session?.close();
  }
  return gateOutcome(outcomes);
}

async function measure(
  deps: QualityGateDeps,
  check: QualityCheckPlan,
  session: CheckSession | undefined,
  request: QualityGateRequest,
  verdict?: Verdict,
): Promise<Measurement> {
  if (check.type === 'custom_python') {
    if (!deps.python || !deps.engine || !deps.scratch)
      throw new Error('custom_python checks need a Python runner and a scratch space, and none is configured');
    const workDir = await deps.scratch.create(request.workspaceRoot ?? process.cwd(), 'check');
    try {
      return await runPythonCheck({ engine: deps.engine, python: deps.python, scratch: deps.scratch }, check, {
        outputPath: request.outputPath,
        workspaceRoot: request.workspaceRoot ?? process.cwd(),
        workDir,
        ...(request.pythonTimeoutMs !== undefined ? { timeoutMs: request.pythonTimeoutMs } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } finally {
      await deps.scratch.remove(workDir);
    }
  }
  if (coveredByKey(check, request.uniqueKey)) {
    return {
      status: 'passed',
      measured: 0,
      threshold: 0,
      message: `${describeMeasure(check, 0, true)} (the columns hold output.yaml's primary key, verified when the snapshot was written)`,
      samples: [],
    };
  }
  if (check.type === 'referential') {
    const product = String(check.config?.['reference_product'] ?? '');
    if (request.references?.[product] === undefined)
      throw new Error(`the referenced product ${product} has no committed snapshot to check against`);
  }
  if (!check.sql || !session) throw new Error(`the plan has no SQL for the ${check.type} check`);
  return runSqlCheck(check, session, deps.expressions, request.signal, verdict);
}

/** A generated uniqueness check whose columns include every column of a key the snapshot is unique on. */
function coveredByKey(check: QualityCheckPlan, key: readonly string[] | undefined): boolean {
  if (!key || key.length === 0 || !groupsByKeys(check)) return false;
  const columns = check.config?.['columns'];
  return Array.isArray(columns) && key.every((k) => columns.includes(k));
}

/** QualityGateFailed (not retryable) naming the blocking checks that failed, when the gate blocks. */
export function assertGatePassed(
  product: string,
  gate: GateOutcome,
  classification: ResultClassification = UNKNOWN_CLASSIFICATION,
): void {
  const error = gateFailure(product, gate, classification);
  if (error) throw error;
}

/**
 * The QualityGateFailed a blocking gate ends with; undefined when the gate lets the snapshot
 * through. The error is stored on the execution, logged and printed: its failures are the view of
 * a `public` reader (`publicOutcome`); the full results are in the catalog, masked per reader.
 */
export function gateFailure(
  product: string,
  gate: GateOutcome,
  classification: ResultClassification = UNKNOWN_CLASSIFICATION,
): HekimaError | undefined {
  if (gate.promote) return undefined;
  const names = gate.blockingFailures.map((c) => c.name);
  return qualityGateFailed(
    'quality_gate_failed',
    `${product}: ${names.length} blocking quality check(s) failed: ${names.join(', ')}; the snapshot was not promoted.`,
    {
      retryable: false,
      details: {
        product,
        score: gate.score,
        failures: gate.blockingFailures
          .map((failed) => publicOutcome(failed, classification))
          .map((c) => ({
            name: c.name,
            type: c.type,
            measured: c.measured,
            threshold: c.threshold,
            message: c.message,
            samples: c.samples,
          })),
      },
    },
  );
}
