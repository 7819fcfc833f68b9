import type { TextRange } from '../../domain/finding.js';
import { isDirect, type LineageSubtype } from '../../domain/lineage/lineage-kinds.js';
import type { SqlLineageEdge } from '../../ports/sql-analyzer.js';
import { entrypointOf, inputList, type ProductUnit } from '../validate/product-unit.js';
import type { ValidationSession } from '../validate/validation-session.js';
import { resolveInput, type ProductSummary, type WorkspaceIndex } from '../validate/workspace-index.js';

/** An input column a product's output column (or its rows) derives from. */
export interface InputColumnEdge {
  /** The input id of inputs.yaml. */
  readonly input: string;
  readonly column: string;
  readonly kind: 'direct' | 'indirect';
  readonly subtype: LineageSubtype;
  readonly file: string;
  readonly range: TextRange;
}

export interface ProductInput {
  readonly id: string;
  readonly type: 'data_product' | 'connector' | 'other';
  /** The upstream product, for a data_product input that resolves. */
  readonly target: ProductSummary | undefined;
}

/** One product's lineage from its inputs: per output column, and for its rows. */
export interface ProductLineage {
  readonly summary: ProductSummary;
  readonly language: 'sql' | 'python' | 'other' | 'none';
  readonly inputs: readonly ProductInput[];
  /** By output.yaml column name: the input columns it derives from; undefined when the SQL does not tell. */
  readonly columns: ReadonlyMap<string, readonly InputColumnEdge[] | undefined>;
  /** Input columns that decide which rows the output has (WHERE, JOIN, GROUP BY, ORDER BY). */
  readonly dataset: readonly InputColumnEdge[];
}

/** A product's lineage, from the session's SQL analysis (cached there until the product or its inputs change). */
export function productLineage(
  session: ValidationSession,
  index: WorkspaceIndex,
  summary: ProductSummary,
): ProductLineage {
  const unit = summary.unit;
  const inputs = inputsOf(index, summary, unit);
  const language = languageOf(unit);
  const columns = new Map<string, readonly InputColumnEdge[] | undefined>();
  const logic = language === 'sql' ? session.sqlLogicOf(unit.folder) : undefined;
  if (logic === undefined || logic.analysis.error !== undefined) {
    for (const name of summary.columns.keys()) columns.set(name, undefined);
    return { summary, language, inputs, columns, dataset: [] };
  }
  const edge = (e: SqlLineageEdge): InputColumnEdge[] => {
    const input = logic.inputOf(e.table);
    if (input === undefined) return [];
    const kind = isDirect(e.subtype) ? 'direct' : 'indirect';
    return [
      { input, column: e.column, kind, subtype: e.subtype, file: logic.file, range: logic.lines.range(e.start, e.end) },
    ];
  };
  const produced = new Map<string, readonly InputColumnEdge[] | undefined>();
  for (const column of logic.analysis.outputColumns) {
    if (column.name === null || produced.has(column.name.toLowerCase())) continue;
    const lineage = column.lineage;
    produced.set(
      column.name.toLowerCase(),
      lineage === undefined ? undefined : [...lineage.direct.flatMap(edge), ...lineage.indirect.flatMap(edge)],
    );
  }
  for (const name of summary.columns.keys()) columns.set(name, produced.get(name.toLowerCase()));
  return { summary, language, inputs, columns, dataset: (logic.analysis.datasetLineage ?? []).flatMap(edge) };
}

function inputsOf(index: WorkspaceIndex, summary: ProductSummary, unit: ProductUnit): ProductInput[] {
  return inputList(unit).map((input) => {
    const type = input.type === 'data_product' ? 'data_product' : input.type === 'connector' ? 'connector' : 'other';
    const target = type === 'data_product' ? resolveInput(index, summary, input.id).target : undefined;
    return { id: input.id, type, target };
  });
}

function languageOf(unit: ProductUnit): ProductLineage['language'] {
  const { path } = entrypointOf(unit);
  if (!unit.texts.has(path)) return 'none';
  return path.endsWith('.sql') ? 'sql' : path.endsWith('.py') ? 'python' : 'other';
}
