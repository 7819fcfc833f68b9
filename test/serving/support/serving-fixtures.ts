import { parseColumnType } from '../../../platform-core/src/domain/column-type.js';
import { duckType } from '../../../platform-core/src/domain/plan/engine-type.js';
import type { PlanColumn, ServingWriterPlan } from '../../../platform-core/src/domain/plan/product-plan.js';
import { servingWriter } from '../../../platform-core/src/domain/plan/serving-writers.js';
import type { ProjectionRequest, ServedRow, ServedRowSource } from '../../../platform-core/src/ports/serving-store.js';

/** Output columns as the plan writes them, from `name:type[:pk]` specs. */
export function planColumns(...specs: string[]): PlanColumn[] {
  return specs.map((spec) => {
    const [name = '', type = 'string', pk] = spec.split(':');
    const parsed = parseColumnType(type);
    if (!parsed.ok) throw new Error(parsed.error);
    return { name, type, engine_type: duckType(parsed.type), primary_key: pk === 'pk', nullable: pk !== 'pk' };
  });
}

/** The plan's serving writer for an endpoint (the same function `hekima generate` uses). */
export function writerFor(
  type: string,
  product: string,
  columns: readonly PlanColumn[],
  config: Record<string, unknown> = {},
): ServingWriterPlan {
  return servingWriter(type, config, {
    tenant: null,
    product,
    major: '1',
    columns: columns.map((c) => {
      const parsed = parseColumnType(c.type);
      if (!parsed.ok) throw new Error(parsed.error);
      return { ...c, parsed: parsed.type };
    }),
  });
}

/**
 * Rows already in memory as a row source, in batches of `batchRows` (2 by default, so that even
 * the small scenarios write and retire across several batches).
 */
export function rowSource(rows: readonly ServedRow[], batchRows = 2): ServedRowSource {
  return {
    async *batches(signal?: AbortSignal) {
      for (let i = 0; i < rows.length; i += batchRows) {
        signal?.throwIfAborted();
        yield await Promise.resolve(rows.slice(i, i + batchRows));
      }
    },
  };
}

export function projection(
  tenantId: string,
  snapshotId: string,
  committedAt: string,
  writer: ServingWriterPlan,
  columns: readonly PlanColumn[],
  rows: readonly ServedRow[],
  product = 'customers',
): ProjectionRequest {
  return {
    tenantId,
    product,
    version: '1.0.0',
    snapshotId,
    committedAt: new Date(committedAt),
    path: '/unused.parquet',
    columns,
    writer,
    rows: rowSource(rows),
  };
}
