import { resolve } from 'node:path';
import { invalidArgument } from '../../domain/errors.js';
import type { BoundInput, RowSetColumn, TableSource } from '../../ports/engine.js';
import { outputSpecs } from '../transform/product-logic.js';
import { inputList, joinPath, type ProductUnit } from '../validate/product-unit.js';
import { resolveInput, type WorkspaceIndex } from '../validate/workspace-index.js';

export const FIXTURE_DIR = 'tests/fixtures';

/** The fixture file of a name (`<name>.csv` or `<name>.json`), relative to the product folder. */
export function fixtureFile(unit: ProductUnit, name: string): { path: string; format: 'csv' | 'json' } | undefined {
  for (const format of ['csv', 'json'] as const) {
    const path = `${FIXTURE_DIR}/${name}.${format}`;
    if (unit.files.has(path)) return { path, format };
  }
  return undefined;
}

/**
 * Binds every input to its fixture: a data_product input is read with the column types of the
 * upstream output.yaml (values as the output types print them); a connector input's file is
 * read as its format says (types detected), as a file connector would. An optional input
 * without a fixture is an empty table.
 */
export function fixtureInputs(root: string, index: WorkspaceIndex, unit: ProductUnit): BoundInput[] {
  const reader = index.summaryOf(unit);
  return inputList(unit).map((input) => {
    let columns: RowSetColumn[] | undefined;
    if (input.type === 'data_product') {
      const target = resolveInput(index, reader, input.id).target;
      if (target) columns = outputSpecs(target.unit).map((c) => ({ name: c.name, type: c.type }));
    }
    const fixture = fixtureFile(unit, input.id);
    if (!fixture) {
      if (input.raw['optional'] === true && columns)
        return { id: input.id, source: { kind: 'rows', columns, rows: [] } };
      throw invalidArgument(
        'fixture_missing',
        `${joinPath(unit.folder, FIXTURE_DIR)}/${input.id}.csv (or .json) is missing: every input needs a fixture`,
      );
    }
    const source: TableSource = {
      kind: 'file',
      path: resolve(root, joinPath(unit.folder, fixture.path)),
      format: fixture.format,
      ...(columns ? { columns } : {}),
    };
    return { id: input.id, source };
  });
}
