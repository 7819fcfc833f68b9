import { LineIndex } from '../../domain/text-positions.js';
import type { SqlAnalysis, SqlAnalyzer } from '../../ports/sql-analyzer.js';
import { entrypointOf, joinPath, type ProductUnit } from './product-unit.js';
import { resolveInput, type WorkspaceIndex } from './workspace-index.js';

export interface LogicSource {
  /** Path relative to the product folder. */
  readonly path: string;
  /** Path relative to the workspace root. */
  readonly file: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly language: 'sql' | 'python' | 'other';
}

export interface SqlLogic extends LogicSource {
  readonly language: 'sql';
  readonly analysis: SqlAnalysis;
  /** Maps a table name as the parser gives it to the input id it reads, if any. */
  readonly inputOf: (table: string) => string | undefined;
}

/** The logic entrypoint of a product with its text, or undefined when the file is absent. */
export function readLogic(unit: ProductUnit): LogicSource | undefined {
  const { path } = entrypointOf(unit);
  const entry = unit.texts.get(path);
  if (!entry) return undefined;
  const language = path.endsWith('.sql') ? 'sql' : path.endsWith('.py') ? 'python' : 'other';
  return { path, file: entry.file, text: entry.text, lines: new LineIndex(entry.text), language };
}

/** Table names under which an input is visible to SQL: the id itself and its underscore form. */
export function tableNamesOf(id: string): string[] {
  const underscore = id.replace(/-/g, '_');
  return underscore === id ? [id] : [id, underscore];
}

export function analyzeSql(unit: ProductUnit, logic: LogicSource, index: WorkspaceIndex, sql: SqlAnalyzer): SqlLogic {
  const inputByTable = new Map<string, string>();
  const columnsByTable = new Map<string, string[]>();
  const ids = new Set<string>();
  const inputsValue = unit.manifests.Inputs?.doc.value as { inputs?: unknown } | undefined;
  const list = Array.isArray(inputsValue?.inputs) ? inputsValue.inputs : [];
  for (const raw of list) {
    const id = (raw as { id?: unknown } | null)?.id;
    const type = (raw as { type?: unknown } | null)?.type;
    if (typeof id !== 'string' || ids.has(id)) continue;
    ids.add(id);
    const upstream = type === 'data_product' ? resolveInput(index, index.summaryOf(unit), id).target : undefined;
    for (const name of tableNamesOf(id)) {
      inputByTable.set(name, id);
      if (upstream && upstream.unit.manifests.Output) columnsByTable.set(name, [...upstream.columns.keys()]);
    }
  }
  const analysis = sql.analyze(logic.text, (table) => columnsByTable.get(table));
  return { ...logic, language: 'sql', analysis, inputOf: (table) => inputByTable.get(table) };
}

export function productFile(unit: ProductUnit, rel: string): string {
  return joinPath(unit.folder, rel);
}
