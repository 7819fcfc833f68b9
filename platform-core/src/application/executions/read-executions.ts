import type { Execution, ExecutionTransition } from '../../domain/catalog/execution.js';
import type { ErrorJSON } from '../../domain/errors.js';
import { notFound } from '../../domain/errors.js';
import type { JsonObject, JsonValue } from '../../domain/json.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { CheckOutcome, QualityResult } from '../../domain/quality/quality-result.js';
import { maskQuotedValues } from '../../domain/execution/quoted-values.js';
import { mayRead } from '../../domain/quality/masking.js';
import { highestClassification } from '../../domain/quality/quality-events.js';
import { maskOutcome, UNKNOWN_CLASSIFICATION } from '../../domain/quality/result-masking.js';
import type { Catalog, ExecutionFilter, TenantCatalog } from '../../ports/catalog.js';
import { planOf } from '../orchestration/plan-manifests.js';
import { readQualityResults, type QualityReader } from '../quality/read-quality-results.js';

/** One execution with what its quality gate found, as one reader may see it. */
export interface ExecutionDetail {
  readonly execution: Execution;
  readonly transitions: readonly ExecutionTransition[];
  /** Every check result of the execution, masked for the reader. */
  readonly checks: readonly QualityResult[];
  /** `check.column` (or `check.measured` / `check.message`, `error.value`) hidden from this reader. */
  readonly masked: readonly string[];
}

/**
 * `hekima executions`: a page of a tenant's executions. The error of an execution its quality gate
 * failed lists the failing checks with their samples and values: those are rebuilt from the stored
 * results, masked per the READER's clearance (audited like every read of classified values);
 * failures without a stored result are masked as restricted. Nothing unmasked is passed on from
 * the stored error itself: the data values an engine or connector error quotes (a value that did
 * not convert, a malformed line) are masked below the product's highest classification.
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
  const items = await Promise.all(
    listed.items.map(async (e) => (await withMaskedQuotes(tenant, e, reader.clearance)).execution),
  );
  return { ...listed, items: items.map((e) => withMaskedGate(e, results, reader.clearance)) };
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
  const quoted = await withMaskedQuotes(tenant, execution, reader.clearance);
  return {
    execution: withMaskedGate(quoted.execution, results, reader.clearance),
    // A transition's reason repeats the error that caused it.
    transitions: transitions.map((t) => (t.reason === undefined ? t : { ...t, reason: quoted.text(t.reason) })),
    checks: results,
    masked: [...masked, ...quoted.masked],
  };
}

/**
 * The execution with the data values its error quotes masked unless the reader may read the
 * product's highest classification (its deployed plan's; restricted when the plan is unknown).
 */
async function withMaskedQuotes(
  tenant: TenantCatalog,
  execution: Execution,
  clearance: string | undefined,
): Promise<{ execution: Execution; masked: readonly string[]; text: (t: string) => string }> {
  const error = execution.error;
  const details = (error?.details ?? {}) as Record<string, unknown>;
  if (!error || (details['value'] === undefined && details['original'] === undefined))
    return { execution, masked: [], text: (t) => t };
  const version = await tenant.products.getVersion(execution.productVersionId);
  const plan = version ? (planOf({ plan: version.plan ?? null }) ?? planOf(version.manifests)) : undefined;
  const level = plan ? highestClassification(plan.product.classification, plan.output.columns) : 'restricted';
  const hidden = maskQuotedValues(error, mayRead(level, clearance));
  const stateReason = execution.stateReason === undefined ? {} : { stateReason: hidden.text(execution.stateReason) };
  return { execution: { ...execution, ...stateReason, error: hidden.error }, masked: hidden.masked, text: hidden.text };
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
