import { normalizeText } from '../../domain/plan/canonical-json.js';
import type { InputBinding, TransformPlan } from '../../domain/plan/product-plan.js';
import { inputTableNames, quoteIdent, quoteLiteral } from '../../domain/plan/sql-text.js';
import {
  entrypointOf,
  inputList,
  isObject,
  joinPath,
  str,
  valueOf,
  type ProductUnit,
} from '../validate/product-unit.js';
import { resolveInput, type ProductSummary, type WorkspaceIndex } from '../validate/workspace-index.js';

/** Input bindings and the wrapped transform of a plan. */

export const RAW_RELATION = '__hekima_raw';

/**
 * Statements that lock the engine session before the logic runs: only the inputs' files may be
 * read and only the output written (`{inputs}`: the files the views read; `{output}`: the staged
 * snapshot file), then no other file access and no configuration change.
 */
export const SANDBOX_STATEMENTS = [
  "SET TimeZone = 'UTC'",
  "SET allowed_paths = ['{inputs}', '{output}']",
  'SET enable_external_access = false',
  'SET lock_configuration = true',
];

export function bindings(index: WorkspaceIndex, summary: ProductSummary): InputBinding[] {
  const unit = summary.unit;
  const defaults = valueOf(unit, 'Inputs')?.['defaults'];
  const d = isObject(defaults) ? defaults : {};
  return inputList(unit).map((input): InputBinding => {
    const raw = input.raw;
    const common = {
      id: input.id,
      tables: inputTableNames(input.id),
      timeout: str(raw['timeout']) ?? str(d['timeout']) ?? '4h',
      fallback: str(raw['fallback']) ?? str(d['fallback']) ?? 'fail',
      optional: raw['optional'] === true,
    };
    if (input.type === 'connector') {
      const ref = str(raw['connector_ref']) ?? '';
      return {
        ...common,
        type: 'connector',
        connector: {
          ref,
          type: index.config.connections.get(ref)?.type ?? null,
          strategy: str(raw['ingestion_strategy']) ?? null,
          config: isObject(raw['ingestion_config']) ? raw['ingestion_config'] : {},
        },
        fitness: Array.isArray(raw['fitness']) ? raw['fitness'] : [],
      };
    }
    const target = resolveInput(index, summary, input.id).target;
    return {
      ...common,
      type: 'data_product',
      upstream: {
        product: input.id,
        version: target?.version ?? null,
        folder: target?.unit.folder ?? null,
        range: str(raw['version']) ?? 'latest',
      },
      partition_mapping: str(raw['partition_mapping']) ?? null,
    };
  });
}

/**
 * The statements binding inputs, run before the sandbox is locked: each input is a VIEW over its
 * files, read where they lie when the query streams them. `{snapshot:<id>}` stands for the Parquet
 * file of the committed snapshot the correlation chose for a data_product input; `{source:<id>}`
 * for what a connector input's ingestion gave (the source files read in place for full_refresh of
 * local files, otherwise the input's merged data in the lake).
 */
export function bindStatements(inputs: readonly InputBinding[]): string[] {
  return inputs.flatMap((i) => {
    const [table, ...aliases] = i.tables;
    const name = quoteIdent(table ?? i.id);
    const from =
      i.type === 'data_product'
        ? `read_parquet(${quoteLiteral(`{snapshot:${i.id}}`)})`
        : quoteLiteral(`{source:${i.id}}`);
    return [
      `CREATE VIEW ${name} AS SELECT * FROM ${from}`,
      ...aliases.map((a) => `CREATE VIEW ${quoteIdent(a)} AS SELECT * FROM ${name}`),
    ];
  });
}

export function transformPlan(unit: ProductUnit, inputs: readonly InputBinding[]): TransformPlan {
  const entry = entrypointOf(unit);
  const file = joinPath(unit.folder, entry.path);
  const runtime = str(valueOf(unit, 'Compute')?.['runtime']) ?? (entry.path.endsWith('.py') ? 'python' : 'sql');
  if (runtime === 'python') {
    return {
      runtime: 'python',
      file,
      module: entry.path,
      call: `transform({${inputs.map((i) => JSON.stringify(i.id)).join(', ')}})`,
      exchange: 'json-lines files in a per-run directory',
      bind: bindStatements(inputs),
    };
  }
  const sql = normalizeText(unit.texts.get(entry.path)?.text ?? '');
  return {
    runtime: 'sql',
    file,
    sql,
    relation: RAW_RELATION,
    bind: bindStatements(inputs),
    sandbox: SANDBOX_STATEMENTS,
    wrapped: `CREATE TEMP VIEW ${quoteIdent(RAW_RELATION)} AS\n${sql}`,
  };
}
