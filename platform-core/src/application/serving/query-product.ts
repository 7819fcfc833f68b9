import { hasErrorKind, invalidArgument, notFound } from '../../domain/errors.js';
import { auditDataAccess, highestLevel, mustAudit } from '../audit/data-access-audit.js';
import type { PlanColumn, ProductPlan } from '../../domain/plan/product-plan.js';
import { typedRows, valueKindOf, type ValueKind } from '../../domain/typed-json.js';
import { mayRead } from '../../domain/quality/masking.js';
import type { ServedFilter, ServedRow, ServedRows, ServingEndpointType } from '../../ports/serving-store.js';
import { readableSnapshot } from '../lake/read-snapshot.js';
import type { ServingDeps } from './project-snapshot.js';

/** The clearance of a local user when configuration and flags name none (docs/adr/0013). */
export const DEFAULT_CLEARANCE = 'internal';
export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 10_000;

export interface QueryRequest {
  readonly tenantId: string;
  readonly plan: ProductPlan;
  /** Column → classification from output.yaml (absent: the product's level). */
  readonly columnClassifications: Readonly<Record<string, string | undefined>>;
  /** The caller's clearance; unknown or absent reads only `public` columns (fail closed). */
  readonly clearance: string | undefined;
  readonly filters?: readonly ServedFilter[];
  /** A SELECT over the snapshot (view named by the product id and its underscore form). */
  readonly sql?: string;
  /** A snapshot id or an ISO instant: read that past snapshot from the lake. */
  readonly asOf?: string;
  readonly limit?: number;
  /** Who reads (recorded in the audit trail for confidential and restricted data). */
  readonly actor?: string;
}

export interface QueryResult {
  readonly product: string;
  readonly snapshotId: string;
  readonly committedAt: string | undefined;
  /** The store the rows came from. */
  readonly source: ServingEndpointType;
  readonly columns: readonly string[];
  readonly rows: readonly ServedRow[];
  /** Columns shown as `***MASKED***` for this caller. */
  readonly masked: readonly string[];
}

/**
 * `hekima query`: served data of one product, tenant-scoped and masked per the caller's clearance.
 * Lookup/timeseries tables answer filter reads of the current snapshot once it is promoted; `--sql`,
 * `--as-of`, a product without a table endpoint, and a snapshot committed but not yet projected
 * read the lake (the source of truth) through the sandboxed DuckDB session.
 */
export async function queryProduct(
  deps: ServingDeps,
  request: QueryRequest,
  signal?: AbortSignal,
): Promise<QueryResult> {
  const name = request.plan.product.name;
  const limit = request.limit ?? DEFAULT_QUERY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT)
    throw invalidArgument('invalid_limit', `The limit must be an integer from 1 to ${MAX_QUERY_LIMIT}.`);
  const filters = request.filters ?? [];
  if (request.sql !== undefined && filters.length > 0)
    throw invalidArgument(
      'sql_with_filters',
      'Use either --sql or --filter, not both (put the conditions in the SQL).',
    );
  const product = await deps.catalog.forTenant(request.tenantId, signal).products.getByName(name);
  const neverRun = () =>
    notFound('product_never_run', `Product "${name}" has never been run here: it has no committed snapshot to query.`, {
      details: { product: name },
    });
  if (!product) throw neverRun();
  let readable;
  try {
    readable = await readableSnapshot(
      deps,
      request.tenantId,
      product.id,
      request.asOf !== undefined ? { asOf: request.asOf } : {},
      signal,
    );
  } catch (e) {
    if (request.asOf === undefined && hasErrorKind(e, 'NotFound')) throw neverRun();
    throw e;
  }
  const { snapshot, path } = readable;
  const level = request.plan.product.classification ?? undefined;
  const columns = request.plan.output.columns;
  const masked = columns
    .map((c) => c.name)
    .filter((c) => !mayRead(request.columnClassifications[c] ?? level, request.clearance));
  const types = new Set(request.plan.serving.map((w) => w.type));
  const table: ServingEndpointType | undefined = types.has('lookup')
    ? 'lookup'
    : types.has('timeseries')
      ? 'timeseries'
      : undefined;
  const fromLake =
    request.sql !== undefined || request.asOf !== undefined || table === undefined || snapshot.state !== 'promoted';
  const source: ServingEndpointType = fromLake ? 'analytics' : table;
  const writer = request.plan.serving.find((w) => w.type === source) ?? { type: 'analytics', store: 'lake' as const };
  const levels = columns.map((c) => request.columnClassifications[c.name] ?? level);
  const audit = (more: { rows?: number; error?: unknown }) =>
    auditDataAccess(
      deps.catalog,
      {
        tenantId: request.tenantId,
        actor: request.actor ?? 'unknown',
        clearance: request.clearance,
        product: name,
        productId: product.id,
        version: request.plan.product.version,
        ...('hash' in request.plan && typeof request.plan.hash === 'string' ? { planHash: request.plan.hash } : {}),
        snapshotId: snapshot.id,
        source,
        level: highestLevel(levels),
        unmasked: columns.map((c) => c.name).filter((c) => !masked.includes(c)),
        masked,
        filters,
        ...(request.sql !== undefined ? { sql: request.sql } : {}),
        ...(request.asOf !== undefined ? { asOf: request.asOf } : {}),
        limit,
        ...more,
      },
      signal,
    );
  const audited = mustAudit(highestLevel(levels));
  let served;
  try {
    served = await deps.stores[source].read(
      {
        tenantId: request.tenantId,
        product: name,
        version: request.plan.product.version,
        columns,
        writer,
        filters,
        masked,
        path,
        ...(request.sql !== undefined ? { sql: request.sql } : {}),
        limit,
      },
      signal,
    );
  } catch (error) {
    if (audited && !signal?.aborted) await audit({ error });
    throw error;
  }
  // Written before the rows are handed out: a read that cannot be audited returns nothing.
  if (audited) await audit({ rows: served.rows.length });
  return {
    product: name,
    snapshotId: snapshot.id,
    committedAt: snapshot.committedAt,
    source,
    columns: served.columns,
    rows: typedRows(served.rows, kindsOf(served, columns, masked)),
    masked,
  };
}

/**
 * The kind of each result column, for the JSON rule (`domain/typed-json.ts`): the result's own
 * types when the store gives them, else the plan's; a masked column is text.
 */
function kindsOf(
  served: ServedRows,
  columns: readonly PlanColumn[],
  masked: readonly string[],
): Map<string, ValueKind> {
  const planned = new Map(columns.map((c) => [c.name, c.engine_type]));
  return new Map(
    served.columns.map((name, i) => {
      const type = served.types?.[i] ?? planned.get(name);
      return [name, masked.includes(name) || type === undefined ? 'other' : valueKindOf(type)];
    }),
  );
}
