import type { Execution, ExecutionStep } from '../../domain/catalog/execution.js';
import type {
  BlastRadius,
  CheckEvidence,
  Diagnosis,
  DiagnosisLocation,
  DiagnosisStep,
  NextAction,
} from '../../domain/diagnosis/diagnosis.js';
import { sourceExcerpt, stepOfError, yamlEntryLine } from '../../domain/diagnosis/diagnosis.js';
import type { ErrorJSON } from '../../domain/errors.js';
import { invalidArgument, notFound } from '../../domain/errors.js';
import { mayRead } from '../../domain/quality/masking.js';
import { highestClassification } from '../../domain/quality/quality-events.js';
import { workspaceRelative } from '../../domain/ingestion/malformed-source.js';
import type { JsonObject } from '../../domain/json.js';
import type { Catalog, TenantCatalog } from '../../ports/catalog.js';
import type { WorkspaceFiles } from '../../ports/workspace-files.js';
import { showExecution } from '../executions/read-executions.js';
import { planOf } from '../orchestration/plan-manifests.js';
import type { QualityReader } from '../quality/read-quality-results.js';

/** Which execution to diagnose: an id (any state), else the newest failed one of a product or of the tenant. */
export interface DiagnoseSelection {
  readonly executionId?: string;
  readonly product?: string;
}

export interface DiagnoseDeps {
  readonly catalog: Catalog;
  /** The workspace's files, for locations and excerpts. */
  readonly files: WorkspaceFiles;
  /** The workspace root (to make an absolute path the engine reported workspace-relative). */
  readonly root: string;
  /** The products computed from `product` (the lineage); without it the report has no blast radius. */
  readonly downstream?: (product: string) => Promise<readonly string[]>;
}

/**
 * `hekima diagnose` (issue 14): the report on one execution, or undefined when there is nothing
 * to diagnose (no failed execution of the product or tenant). Check samples and values are the
 * ones `executions show` gives this reader: masked per its clearance, the read audited.
 * NotFound `execution_not_found` / `product_not_found`; InvalidArgument for an id and a product at once.
 */
export async function diagnoseExecution(
  deps: DiagnoseDeps,
  reader: QualityReader,
  selection: DiagnoseSelection,
  signal?: AbortSignal,
): Promise<Diagnosis | undefined> {
  if (selection.executionId !== undefined && selection.product !== undefined)
    throw invalidArgument('diagnose_selection', 'give an execution id or --product, not both');
  const id = selection.executionId ?? (await newestFailed(deps.catalog, reader.tenantId, selection.product, signal));
  if (id === undefined) return undefined;
  const detail = await showExecution(deps.catalog, reader, id, signal);
  const tenant = deps.catalog.forTenant(reader.tenantId, signal);
  const execution = detail.execution;
  const [product, version, steps] = await Promise.all([
    tenant.products.get(execution.productId),
    tenant.products.getVersion(execution.productVersionId),
    tenant.executions.steps(execution.id),
  ]);
  const plan = version ? (planOf({ plan: version.plan ?? null }) ?? planOf(version.manifests)) : undefined;
  const name = product?.name ?? execution.productId;
  const folder = plan?.product.folder;
  const error = execution.error;
  const failures = gateFailureNames(error);
  const checks: CheckEvidence[] = detail.checks
    .filter((c) => c.status === 'failed' && (failures.length === 0 || failures.includes(c.name)))
    .map((c) => ({
      name: c.name,
      type: c.type,
      measured: c.measured,
      threshold: c.threshold,
      message: c.message,
      samples: c.samples.slice(0, 20),
    }));
  const step = error ? stepOfError(error) : undefined;
  const level = plan ? highestClassification(plan.product.classification, plan.output.columns) : 'restricted';
  const cleared = mayRead(level, reader.clearance);
  // The error's quoted data values are already masked for this reader (`showExecution`).
  const hidden: string[] = [];
  const locations = error ? await locate(deps, error, folder, failures, cleared) : [];
  const blast = error && deps.downstream ? await blastRadius(deps, tenant, execution.productId, name) : undefined;
  // An input data file's lines are data: no excerpt of them below the product's level.
  if (!cleared && error?.code === 'source_malformed') hidden.push('location.excerpt');
  return {
    execution: execution.id,
    product: name,
    version: version?.version ?? plan?.product.version ?? 'unknown',
    status: execution.state,
    trigger: execution.trigger,
    ...(step ? { step } : {}),
    ...(error
      ? { error: { class: error.kind, code: error.code, message: error.message, retryable: error.retryable } }
      : {}),
    attempts: { made: execution.attempt, max: execution.maxAttempts },
    steps: steps.map(timing),
    ...(locations[0] ? { location: locations[0] } : {}),
    locations,
    evidence: { checks, masked: [...detail.masked, ...hidden] },
    ...(blast ? { blast_radius: blast } : {}),
    next: nextAction(execution, name, step, locations[0]),
  };
}

async function blastRadius(
  deps: DiagnoseDeps,
  tenant: TenantCatalog,
  productId: string,
  name: string,
): Promise<BlastRadius> {
  const [downstream, current] = await Promise.all([deps.downstream!(name), tenant.snapshots.current(productId)]);
  const served = current
    ? { snapshot: current.id, ...(current.committedAt ? { committed_at: current.committedAt } : {}) }
    : null;
  return { downstream, served };
}

async function newestFailed(
  catalog: Catalog,
  tenantId: string,
  productName: string | undefined,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const tenant = catalog.forTenant(tenantId, signal);
  let productId: string | undefined;
  if (productName !== undefined) {
    const product = await tenant.products.getByName(productName);
    if (!product)
      throw notFound('product_not_found', `No product ${productName} in this tenant (has it run here?).`, {
        details: { product: productName },
      });
    productId = product.id;
  }
  const page = await tenant.executions.list({ limit: 1 }, { state: 'failed', ...(productId ? { productId } : {}) });
  return page.items[0]?.id;
}

function timing(s: ExecutionStep): Diagnosis['steps'][number] {
  return { name: s.name, status: s.state, ...(s.durationMs !== undefined ? { ms: s.durationMs } : {}) };
}

function gateFailureNames(error: ErrorJSON | undefined): string[] {
  if (error?.code !== 'quality_gate_failed') return [];
  const failures = (error.details as { failures?: unknown } | undefined)?.failures;
  return Array.isArray(failures)
    ? failures.flatMap((f) => {
        const n = (f as JsonObject | null)?.['name'];
        return typeof n === 'string' ? [n] : [];
      })
    : [];
}

/** Where in the workspace the error points: SQL position, input file line and its inputs.yaml entry, the check. */
async function locate(
  deps: DiagnoseDeps,
  error: ErrorJSON,
  folder: string | undefined,
  checks: readonly string[],
  cleared: boolean,
): Promise<DiagnosisLocation[]> {
  const d = (error.details ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : undefined);
  const found: {
    file: string;
    line?: number;
    column?: number;
    what: string;
    entry?: [string, string];
    data?: boolean;
  }[] = [];
  const file = str('file');
  if (error.code === 'source_malformed') {
    if (file) found.push({ file, ...(num('line') ? { line: num('line')! } : {}), what: 'malformed line', data: true });
    const manifest = str('manifest') ?? (folder ? `${folder}/inputs.yaml` : undefined);
    const input = str('input');
    if (manifest && input) found.push({ file: manifest, what: `input "${input}"`, entry: ['id', input] });
  } else if (error.code === 'quality_gate_failed' && folder) {
    for (const name of checks)
      found.push({ file: `${folder}/quality.yaml`, what: `check "${name}"`, entry: ['name', name] });
  } else if (file) {
    const line = num('line');
    const column = num('column');
    found.push({ file, ...(line ? { line } : {}), ...(column ? { column } : {}), what: 'reported by the engine' });
  }
  const out: DiagnosisLocation[] = [];
  for (const f of found) {
    const path = workspaceRelative(deps.root, f.file);
    const text = await deps.files.read(path).catch(() => undefined);
    const line = f.line ?? (f.entry && text !== undefined ? yamlEntryLine(text, f.entry[0], f.entry[1]) : undefined);
    if (line === undefined) continue;
    const excerpt = text === undefined || (f.data && !cleared) ? undefined : sourceExcerpt(text, line, f.column);
    out.push({
      file: path,
      line,
      ...(f.column ? { column: f.column } : {}),
      what: f.what,
      ...(excerpt ? { excerpt } : {}),
    });
  }
  return out;
}

const ADVICE: Readonly<Record<string, string>> = {
  conversion_failed:
    'a value does not convert to the type the SQL asks for: fix the cast at the location (TRY_CAST gives NULL instead of failing) or the input value',
  sql_failed: 'the engine refused the SQL at the location: fix it (`hekima validate` checks it first)',
  source_malformed: 'fix the malformed line of the input file (a field holding the delimiter must be quoted)',
  quality_gate_failed:
    'a blocking check failed on the new data: fix the data or its logic, or the check in quality.yaml if it is wrong',
  missing_columns:
    'the logic does not return every column output.yaml declares: add it to the SELECT or fix output.yaml',
  not_null_violation: 'a NOT NULL column of output.yaml got NULLs: filter or COALESCE them in the logic',
  primary_key_duplicate: 'the primary key of output.yaml repeats: deduplicate in the logic or fix the key',
};

function nextAction(
  execution: Execution,
  product: string,
  step: DiagnosisStep | undefined,
  where: DiagnosisLocation | undefined,
): NextAction {
  const command = `hekima run --product ${product}`;
  const error = execution.error;
  if (!error)
    return {
      retry_safe: true,
      command,
      advice:
        execution.state === 'succeeded' ? 'nothing failed' : `the execution is ${execution.state}: nothing failed yet`,
    };
  const transient = error.kind === 'Transient' || error.kind === 'RateLimited';
  const at = where ? ` (edit ${where.file}:${where.line})` : '';
  const advice = transient
    ? `a transient cause (${error.code}): running again can succeed without a change`
    : `${ADVICE[error.code] ?? `the ${step ?? 'run'} step failed with ${error.code}: fix the cause`}${at}, then run again`;
  return { retry_safe: transient, command, advice };
}
