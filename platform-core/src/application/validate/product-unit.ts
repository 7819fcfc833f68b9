import type { SourceDocument } from '../../ports/source-document.js';
import type { ManifestKind } from '../../domain/manifest/kinds.js';
import { isClassification, type Classification } from '../../domain/classification.js';
import { parseColumnType, type ColumnType } from '../../domain/column-type.js';
import type { Fix } from '../../domain/finding.js';

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

// ---------------------------------------------------------------------------------------------
// Helpers shared by the product-local rule families (product, inputs, output, serving, quality,
// compute). All are defensive: they never throw on missing or mistyped manifests.

/** Output columns by name (the first declaration wins when a name repeats). */
export function outputColumnMap(unit: ProductUnit): Map<string, ColumnView> {
  const map = new Map<string, ColumnView>();
  for (const c of outputColumns(unit)) if (!map.has(c.name)) map.set(c.name, c);
  return map;
}

/** `a, b, c` (at most `max` names, then `…`), for hints. */
export function nameList(names: Iterable<string>, max = 8): string {
  const all = [...names];
  const shown = all.slice(0, max).join(', ');
  return all.length > max ? `${shown}, …` : shown;
}

/** The 1-based line of the node at a pointer of a manifest (0 when the manifest is absent). */
export function lineOf(unit: ProductUnit, kind: ManifestKind, pointer: string): number {
  return unit.manifests[kind]?.doc.rangeOf(pointer, 'key').start.line ?? 0;
}

function lineStartOffset(text: string, offset: number): number {
  return text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
}

/**
 * A fix that deletes a block-mapping entry (its whole lines: the key and its value) at a
 * pointer. Undefined when the key does not start its line (flow mappings, `- key:` items).
 */
export function removeEntryFix(unit: ProductUnit, kind: ManifestKind, pointer: string, title: string): Fix | undefined {
  const manifest = unit.manifests[kind];
  if (!manifest || !manifest.doc.has(pointer)) return undefined;
  const { doc } = manifest;
  const key = doc.rangeOf(pointer, 'key');
  const entry = doc.rangeOf(pointer, 'entry');
  const keyStart = doc.offsetAt(key.start.line, key.start.column);
  const start = lineStartOffset(doc.text, keyStart);
  if (doc.text.slice(start, keyStart).trim() !== '') return undefined;
  let end = doc.offsetAt(entry.end.line, entry.end.column);
  if (end < keyStart) return undefined;
  if (doc.text[end - 1] !== '\n') {
    const nl = doc.text.indexOf('\n', end);
    end = nl < 0 ? doc.text.length : nl + 1;
  }
  return { title, edits: [{ file: manifest.file, range: doc.rangeAt(start, end), newText: '' }] };
}

/**
 * A fix that inserts the line `text` (e.g. `primary_key: true`) as a new entry right after the
 * block-mapping entry at `siblingPointer`, with the same indentation. Undefined when the sibling
 * is not in a block mapping.
 */
export function insertAfterFix(
  unit: ProductUnit,
  kind: ManifestKind,
  siblingPointer: string,
  text: string,
  title: string,
): Fix | undefined {
  const manifest = unit.manifests[kind];
  if (!manifest || !manifest.doc.has(siblingPointer)) return undefined;
  const { doc } = manifest;
  const key = doc.rangeOf(siblingPointer, 'key');
  const entry = doc.rangeOf(siblingPointer, 'entry');
  const keyStart = doc.offsetAt(key.start.line, key.start.column);
  const start = lineStartOffset(doc.text, keyStart);
  if (!/^\s*(-\s+)*$/.test(doc.text.slice(start, keyStart))) return undefined;
  const end = doc.offsetAt(entry.end.line, entry.end.column);
  let at: number;
  if (end > 0 && doc.text[end - 1] === '\n') {
    at = end - 1;
  } else {
    const nl = doc.text.indexOf('\n', end);
    at = nl < 0 ? doc.text.length : nl;
    // Only plain block entries: nothing but a comment may follow the value on its line.
    const rest = doc.text.slice(end, at).trim();
    if (rest !== '' && !rest.startsWith('#')) return undefined;
  }
  const indent = ' '.repeat(Math.max(0, key.start.column - 1));
  return { title, edits: [{ file: manifest.file, range: doc.rangeAt(at, at), newText: `\n${indent}${text}` }] };
}

/**
 * Offsets of a string scalar's characters in the source, when the source text is exactly the
 * value (plain or quoted without escapes; not block scalars). Lets a finding point inside a string.
 */
export function exactStringSpan(
  unit: ProductUnit,
  kind: ManifestKind,
  pointer: string,
  value: string,
): { file: string; start: number } | undefined {
  const manifest = unit.manifests[kind];
  const span = manifest?.doc.scalarSpan(pointer);
  if (!manifest || !span || span.block) return undefined;
  if (manifest.doc.text.slice(span.start, span.end) !== value) return undefined;
  return { file: manifest.file, start: span.start };
}

export interface EndpointView {
  readonly index: number;
  readonly type: string | undefined;
  /** The config mapping, or undefined when absent or not a mapping. */
  readonly config: Obj | undefined;
  readonly raw: Obj;
}

/** The endpoints of serving.yaml that are mappings. */
export function endpointList(unit: ProductUnit): EndpointView[] {
  return indexed(valueOf(unit, 'Serving')?.['endpoints']).map(({ index, raw }) => ({
    index,
    type: str(raw['type']),
    config: isObject(raw['config']) ? raw['config'] : undefined,
    raw,
  }));
}

export interface CheckView {
  readonly index: number;
  readonly name: string | undefined;
  readonly type: string | undefined;
  /** The config mapping, or undefined when absent or not a mapping. */
  readonly config: Obj | undefined;
  readonly raw: Obj;
}

/** The checks of quality.yaml that are mappings. */
export function checkList(unit: ProductUnit): CheckView[] {
  return indexed(valueOf(unit, 'Quality')?.['checks']).map(({ index, raw }) => ({
    index,
    name: str(raw['name']),
    type: str(raw['type']),
    config: isObject(raw['config']) ? raw['config'] : undefined,
    raw,
  }));
}
