import type { SourceDocument } from '../../ports/source-document.js';
import type { ManifestKind } from '../../domain/manifest/kinds.js';
import { isClassification, type Classification } from '../../domain/classification.js';
import { parseColumnType, type ColumnType } from '../../domain/column-type.js';

/** One parsed manifest (or hekima.yaml) file. */
export interface ManifestFile {
  readonly file: string;
  readonly hash: string;
  readonly doc: SourceDocument;
}

/** A product folder with its manifests and logic, as read from the workspace. */
export interface ProductUnit {
  /** Folder relative to the workspace root ('.' when the root itself is a product). */
  readonly folder: string;
  readonly manifests: Partial<Record<ManifestKind, ManifestFile>>;
  /** Every file of the workspace under this folder, relative to the folder. */
  readonly files: ReadonlySet<string>;
  /** Text of files the rules need besides manifests (logic, python checks), by path relative to the folder. */
  readonly texts: ReadonlyMap<string, { readonly file: string; readonly text: string; readonly hash: string }>;
}

type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function valueOf(unit: ProductUnit, kind: ManifestKind): Obj | undefined {
  const v = unit.manifests[kind]?.doc.value;
  return isObject(v) ? v : undefined;
}

export function productMetadata(unit: ProductUnit): Obj | undefined {
  const m = valueOf(unit, 'DataProduct')?.['metadata'];
  return isObject(m) ? m : undefined;
}

export function productName(unit: ProductUnit): string | null {
  return str(productMetadata(unit)?.['name']) ?? null;
}

export function productClassification(unit: ProductUnit): Classification | undefined {
  const c = productMetadata(unit)?.['classification'];
  return isClassification(c) ? c : undefined;
}

export interface ColumnView {
  readonly index: number;
  readonly name: string;
  readonly typeText: string | undefined;
  readonly type: ColumnType | undefined;
  readonly primaryKey: boolean;
  readonly nullable: boolean;
  readonly role: string;
  readonly deprecated: boolean;
  readonly classification: Classification | undefined;
  readonly raw: Obj;
}

const columnCache = new WeakMap<object, ColumnView[]>();

/** The well-formed columns of output.yaml (entries without a string name are skipped). */
export function outputColumns(unit: ProductUnit): ColumnView[] {
  const output = valueOf(unit, 'Output');
  if (!output) return [];
  const cached = columnCache.get(output);
  if (cached) return cached;
  const schema = output['schema'];
  const columns: ColumnView[] = [];
  if (Array.isArray(schema)) {
    schema.forEach((raw: unknown, index) => {
      if (!isObject(raw) || typeof raw['name'] !== 'string') return;
      const typeText = str(raw['type']);
      const parsed = typeText === undefined ? undefined : parseColumnType(typeText);
      columns.push({
        index,
        name: raw['name'],
        typeText,
        type: parsed?.ok ? parsed.type : undefined,
        primaryKey: raw['primary_key'] === true,
        nullable: raw['nullable'] !== false && raw['primary_key'] !== true,
        role: str(raw['role']) ?? 'attribute',
        deprecated: raw['deprecated'] === true,
        classification: isClassification(raw['classification']) ? raw['classification'] : undefined,
        raw,
      });
    });
  }
  columnCache.set(output, columns);
  return columns;
}

export interface InputView {
  readonly index: number;
  readonly id: string;
  readonly type: string | undefined;
  readonly raw: Obj;
}

/** The inputs of inputs.yaml that have a string id. */
export function inputList(unit: ProductUnit): InputView[] {
  const list = valueOf(unit, 'Inputs')?.['inputs'];
  if (!Array.isArray(list)) return [];
  const out: InputView[] = [];
  list.forEach((raw: unknown, index) => {
    if (isObject(raw) && typeof raw['id'] === 'string') out.push({ index, id: raw['id'], type: str(raw['type']), raw });
  });
  return out;
}

export function listOf(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Entries of a list with their original index (non-objects skipped). */
export function indexed(value: unknown): { index: number; raw: Obj }[] {
  if (!Array.isArray(value)) return [];
  const out: { index: number; raw: Obj }[] = [];
  value.forEach((raw: unknown, index) => {
    if (isObject(raw)) out.push({ index, raw });
  });
  return out;
}

/** The entrypoint of compute.yaml, or the default one that exists (SQL preferred). */
export function entrypointOf(unit: ProductUnit): { path: string; declared: boolean } {
  const declared = str(valueOf(unit, 'Compute')?.['entrypoint']);
  if (declared !== undefined) return { path: normalizeRelative(declared), declared: true };
  const runtime = str(valueOf(unit, 'Compute')?.['runtime']);
  if (runtime === 'python') return { path: 'logic/transform.py', declared: false };
  if (runtime !== 'sql' && !unit.files.has('logic/transform.sql') && unit.files.has('logic/transform.py')) {
    return { path: 'logic/transform.py', declared: false };
  }
  return { path: 'logic/transform.sql', declared: false };
}

export function normalizeRelative(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}

export function joinPath(folder: string, rel: string): string {
  return folder === '.' || folder === '' ? rel : `${folder}/${rel}`;
}
