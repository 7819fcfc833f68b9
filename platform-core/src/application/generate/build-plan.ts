import { parseColumnType } from '../../domain/column-type.js';
import { durationSeconds } from '../../domain/duration.js';
import { parseCpu, parseMemory } from '../../domain/execution/resources.js';
import { checkSql } from '../../domain/plan/check-sql.js';
import { normalizeText } from '../../domain/plan/canonical-json.js';
import {
  OUTPUT_RELATION,
  PLAN_API_VERSION,
  referenceRelation,
  type ProductPlan,
  type QualityCheckPlan,
} from '../../domain/plan/product-plan.js';
import { servingWriter } from '../../domain/plan/serving-writers.js';
import { quoteIdent } from '../../domain/plan/sql-text.js';
import { duckType } from '../../domain/plan/engine-type.js';
import {
  checkList,
  endpointList,
  isObject,
  joinPath,
  outputColumns,
  str,
  valueOf,
  type ProductUnit,
} from '../validate/product-unit.js';
import { type ProductSummary, type WorkspaceIndex } from '../validate/workspace-index.js';
import { outputSpecs } from '../transform/product-logic.js';
import { bindings, transformPlan } from './input-bindings.js';

/** The deterministic plan of one (valid) product. */
export function buildPlan(index: WorkspaceIndex, summary: ProductSummary): ProductPlan {
  const unit = summary.unit;
  const tenant = index.config.tenant ?? null;
  const name = summary.name ?? unit.folder;
  const version = summary.version ?? '0.0.0';
  const major = version.split('.')[0] ?? '0';
  const inputs = bindings(index, summary);
  const columns = outputSpecs(unit).map((c) => ({
    name: c.name,
    type: formatType(unit, c.name),
    engine_type: duckType(c.type),
    primary_key: c.primaryKey,
    nullable: c.nullable,
    classification: summary.columns.get(c.name)?.classification ?? null,
  }));
  const output = valueOf(unit, 'Output') ?? {};
  const compute = valueOf(unit, 'Compute') ?? {};
  const schedule = isObject(compute['schedule']) ? compute['schedule'] : {};
  const resources = isObject(compute['resources']) ? compute['resources'] : {};
  const retry = isObject(compute['retry']) ? compute['retry'] : {};
  const cpuMillis = parseCpu(str(resources['cpu']) ?? '500m');
  return {
    api_version: PLAN_API_VERSION,
    tenant,
    product: {
      name,
      domain: summary.domain ?? null,
      version,
      classification: summary.classification ?? null,
      folder: unit.folder,
    },
    inputs,
    transform: transformPlan(unit, inputs),
    output: {
      relation: OUTPUT_RELATION,
      columns,
      format: str(output['format']) ?? 'parquet',
      partitioning: Array.isArray(output['partitioning']) ? output['partitioning'] : [],
    },
    quality: qualityPlans(unit),
    serving: endpointList(unit).map((e) =>
      servingWriter(e.type ?? 'analytics', e.config ?? {}, {
        tenant,
        product: name,
        major,
        columns: columns.map((c) => ({
          ...c,
          parsed: outputSpecs(unit).find((s) => s.name === c.name)?.type ?? { kind: 'string' },
        })),
      }),
    ),
    events: {
      subscribe: inputs.flatMap((i) =>
        i.type === 'data_product' ? [{ topic: topic(tenant, i.upstream.product), input: i.id }] : [],
      ),
      publish: topic(tenant, name),
    },
    schedule: {
      type: str(schedule['type']) ?? 'event',
      expression: str(schedule['expression']) ?? null,
      timezone: str(schedule['timezone']) ?? 'UTC',
    },
    resources: {
      cpu_millis: cpuMillis,
      memory_bytes: parseMemory(str(resources['memory']) ?? '1Gi'),
      threads: Math.max(1, Math.ceil(cpuMillis / 1000)),
      timeout_ms: (durationSeconds(str(resources['timeout']) ?? '30m') ?? 1800) * 1000,
    },
    retry: {
      max_attempts: typeof retry['max_attempts'] === 'number' ? retry['max_attempts'] : 3,
      backoff: str(retry['backoff']) ?? 'exponential',
      initial_delay: str(retry['initial_delay']) ?? '30s',
    },
  };
}

function formatType(unit: ProductUnit, column: string): string {
  const text = outputColumns(unit).find((c) => c.name === column)?.typeText ?? 'string';
  const parsed = parseColumnType(text);
  return parsed.ok ? text.replace(/\s+/g, '') : text;
}

function topic(tenant: string | null, product: string): string {
  return `${tenant ?? '{tenant}'}.${product}.data.available`;
}

function qualityPlans(unit: ProductUnit): QualityCheckPlan[] {
  const ctx = { output: quoteIdent(OUTPUT_RELATION), reference: (p: string) => quoteIdent(referenceRelation(p)) };
  return checkList(unit).map((check) => {
    const type = check.type ?? 'unknown';
    const severity = str(check.raw['severity']) ?? 'error';
    const base = {
      name: check.name ?? `check_${check.index}`,
      type,
      severity,
      ...(check.config ? { config: check.config } : {}),
    };
    if (type === 'custom_python') {
      return {
        ...base,
        entrypoint: joinPath(unit.folder, str(check.raw['entrypoint']) ?? ''),
        call: `check(${OUTPUT_RELATION})`,
      };
    }
    const customSql = str(check.raw['sql']);
    const generated = checkSql(
      type,
      check.config ?? {},
      ctx,
      customSql === undefined ? undefined : normalizeText(customSql),
    );
    return {
      ...base,
      ...(generated
        ? { sql: generated.sql, ...(generated.samplesSql ? { samples_sql: generated.samplesSql } : {}) }
        : {}),
      ...(type === 'custom_sql' ? { expect: str(check.raw['expect']) ?? '' } : {}),
    };
  });
}
