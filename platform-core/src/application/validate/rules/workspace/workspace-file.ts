import type { Fix } from '../../../../domain/finding.js';
import { isObject } from '../../product-unit.js';
import type { WorkspaceIndex } from '../../workspace-index.js';

/** The parsed hekima.yaml as a plain object, or undefined when absent, unparsable or not a mapping. */
export function workspaceValue(index: WorkspaceIndex): Record<string, unknown> | undefined {
  const file = index.config.file;
  if (!file || file.doc.problems.some((p) => p.kind === 'syntax')) return undefined;
  return isObject(file.doc.value) ? file.doc.value : undefined;
}

/** Entries of a top-level list of hekima.yaml, with their index (non-lists give none). */
export function listEntries(index: WorkspaceIndex, key: string): { index: number; raw: unknown }[] {
  const list = workspaceValue(index)?.[key];
  return Array.isArray(list) ? list.map((raw: unknown, i) => ({ index: i, raw })) : [];
}

/** A fix replacing the scalar at a pointer of hekima.yaml (undefined for block scalars). */
export function workspaceReplaceFix(
  index: WorkspaceIndex,
  path: string,
  newText: string,
  title: string,
): Fix | undefined {
  const file = index.config.file;
  const span = file?.doc.scalarSpan(path);
  if (!file || !span || span.block) return undefined;
  return { title, edits: [{ file: file.file, range: file.doc.rangeAt(span.start, span.end), newText }] };
}
