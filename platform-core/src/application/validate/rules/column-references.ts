import { nearest } from '../../../domain/nearest.js';
import type { ManifestKind } from '../../../domain/manifest/kinds.js';
import { nameList, type ColumnView } from '../product-unit.js';
import type { ProductRuleContext } from '../rule.js';

export interface ColumnReference {
  readonly name: string;
  /** JSON pointer of the scalar naming the column. */
  readonly path: string;
}

/** The column names a config value holds (one string, or a list of strings), with their pointers. */
export function columnReferences(value: unknown, base: string): ColumnReference[] {
  if (typeof value === 'string') return [{ name: value, path: base }];
  if (!Array.isArray(value)) return [];
  const refs: ColumnReference[] = [];
  value.forEach((v: unknown, j) => {
    if (typeof v === 'string') refs.push({ name: v, path: `${base}/${j}` });
  });
  return refs;
}

/**
 * Reports each reference that is not a column of output.yaml, suggesting the nearest column and
 * offering its replacement as a fix. `describe` words the message for the reference.
 */
export function reportUnknownColumns(
  ctx: ProductRuleContext,
  kind: ManifestKind,
  refs: readonly ColumnReference[],
  columns: ReadonlyMap<string, ColumnView>,
  describe: (name: string) => string,
): void {
  for (const { name, path } of refs) {
    if (columns.has(name)) continue;
    const near = nearest(name, columns.keys());
    const fix = near ? ctx.replaceFix(kind, path, near, `Replace '${name}' with '${near}'`) : undefined;
    ctx.report({ kind, path }, `${describe(name)}, which is not a column of output.yaml`, {
      hint: `${near ? `Did you mean '${near}'? ` : ''}Columns of output.yaml: ${nameList(columns.keys())}.`,
      ...(fix ? { fix } : {}),
    });
  }
}
