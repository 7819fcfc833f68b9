import type { Execution, ExecutionTransition } from '../../domain/catalog/execution.js';
import type { ErrorJSON } from '../../domain/errors.js';
import { notFound } from '../../domain/errors.js';
import type { JsonObject, JsonValue } from '../../domain/json.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { CheckOutcome, QualityResult } from '../../domain/quality/quality-result.js';
import { maskOutcome, UNKNOWN_CLASSIFICATION } from '../../domain/quality/result-masking.js';
import type { Catalog, ExecutionFilter } from '../../ports/catalog.js';
import { readQualityResults, type QualityReader } from '../quality/read-quality-results.js';

/** One execution with what its quality gate found, as one reader may see it. */
export interface ExecutionDetail {
  readonly execution: Execution;
  readonly transitions: readonly ExecutionTransition[];
  /** Every check result of the execution, masked for the reader. */
  readonly checks: readonly QualityResult[];
  /** `check.column` (or `check.measured` / `check.message`) hidden from this reader. */
  readonly masked: readonly string[];
}

/**
 * `hekima executions`: a page of a tenant's executions. The error of an execution its quality gate
 * failed lists the failing checks with their samples and values: those are rebuilt from the stored
 * results, masked per the READER's clearance (audited like every read of classified values);
 * failures without a stored result are masked as restricted. Nothing unmasked is passed on from
 * the stored error itself.
 */
export async function readExecutions(
  catalog: Catalog,
  reader: QualityReader,
  page?: PageRequest,
  filter?: ExecutionFilter,
  signal?: AbortSignal,
): Promise<Page<Execution>> {
  const tenant = catalog.forTenant(reader.tenantId, signal);
  const listed = await tenant.executions.list(page, filter);
  const gated = listed.items.filter((e) => gateFailures(e.error) !== undefined);
  const stored = (await Promise.all(gated.map((e) => tenant.qualityResults.ofExecution(e.id)))).flat();
  const { results } = await readQualityResults(catalog, reader, stored, signal);
  return { ...listed, items: listed.items.map((e) => withMaskedGate(e, results, reader.clearance)) };
}

/** `hekima executions show <id>`: the execution, its transitions and every check result, masked for the reader. */
export async function showExecution(
  catalog: Catalog,
  reader: QualityReader,
  executionId: string,
  signal?: AbortSignal,
): Promise<ExecutionDetail> {
  const tenant = catalog.forTenant(reader.tenantId, signal);
  const execution = await tenant.executions.get(executionId);
  if (!execution)
    throw notFound('execution_not_found', `No execution ${executionId} in this tenant.`, {
      details: { executionId },
    });
  const [transitions, stored] = await Promise.all([
    tenant.executions.transitions(executionId),
    tenant.qualityResults.ofExecution(executionId),
  ]);
  const { results, masked } = await readQualityResults(catalog, reader, stored, signal);
  return { execution: withMaskedGate(execution, results, reader.clearance), transitions, checks: results, masked };
}

function gateFailures(error: ErrorJSON | undefined): readonly JsonValue[] | undefined {
  const failures = (error?.details as { failures?: unknown } | undefined)?.failures;
  return Array.isArray(failures) ? (failures as JsonValue[]) : undefined;
}

const FAILURE_FIELDS = ['name', 'type', 'measured', 'threshold', 'message', 'samples'] as const;

/** The execution with its gate failures replaced by the reader's view of the stored results. */
function withMaskedGate(execution: Execution, results: readonly QualityResult[], clearance?: string): Execution {
  const failures = gateFailures(execution.error);
  if (!execution.error || failures === undefined) return execution;
  const mine = results.filter((r) => r.executionId === execution.id);
  const rebuilt = failures.map((failure): JsonObject => {
    const name = (failure as { name?: unknown } | null)?.name;
    const result = mine.find((r) => r.name === name);
    const view: CheckOutcome = result ?? maskOutcome(asOutcome(failure), UNKNOWN_CLASSIFICATION, clearance).outcome;
    return Object.fromEntries(FAILURE_FIELDS.map((k) => [k, view[k] as JsonValue]));
  });
  return { ...execution, error: { ...execution.error, details: { ...execution.error.details, failures: rebuilt } } };
}

/** A failure as an older error stored it (any shape): read as an outcome, to be masked whole. */
function asOutcome(failure: JsonValue): CheckOutcome {
  const f = (typeof failure === 'object' && failure !== null && !Array.isArray(failure) ? failure : {}) as JsonObject;
  return {
    name: typeof f['name'] === 'string' ? f['name'] : 'unknown',
    type: typeof f['type'] === 'string' ? f['type'] : 'custom_sql',
    severity: 'error',
    blocking: true,
    status: 'failed',
    measured: f['measured'] ?? null,
    threshold: f['threshold'] ?? null,
    message: typeof f['message'] === 'string' ? f['message'] : '',
    samples: Array.isArray(f['samples']) ? (f['samples'] as CheckOutcome['samples']) : [],
  };
}
