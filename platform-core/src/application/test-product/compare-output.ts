import type { OutputColumnSpec } from '../../ports/engine.js';

/** Compares a result with the expected output, cell by cell, in the declared types. */

export type Cell = string | null;
export type Row = readonly Cell[];

export interface ChangedRow {
  /** The primary-key values (or the row position when ordered without a key). */
  readonly key: Readonly<Record<string, Cell>>;
  readonly cells: readonly { readonly column: string; readonly expected: Cell; readonly actual: Cell }[];
}

export interface OutputDiff {
  readonly equal: boolean;
  readonly missing: readonly Readonly<Record<string, Cell>>[];
  readonly extra: readonly Readonly<Record<string, Cell>>[];
  readonly changed: readonly ChangedRow[];
  /** Same rows, other order (only when the logic orders its result). */
  readonly order?: {
    readonly index: number;
    readonly expected: Readonly<Record<string, Cell>>;
    readonly actual: Readonly<Record<string, Cell>>;
  };
}

const FLOAT_TOLERANCE = 1e-9;

function cellsEqual(a: Cell, b: Cell, spec: OutputColumnSpec | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || spec?.type.kind !== 'float') return false;
  const x = Number(a);
  const y = Number(b);
  return Math.abs(x - y) <= FLOAT_TOLERANCE * Math.max(1, Math.abs(x), Math.abs(y));
}

function record(columns: readonly string[], row: Row): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  columns.forEach((c, i) => (out[c] = row[i] ?? null));
  return out;
}

export function compareOutput(
  specs: readonly OutputColumnSpec[],
  expected: readonly Row[],
  actual: readonly Row[],
  ordered: boolean,
): OutputDiff {
  const columns = specs.map((s) => s.name);
  const keyIdx = specs.flatMap((s, i) => (s.primaryKey ? [i] : []));
  const keyOf = (row: Row): string =>
    JSON.stringify(
      keyIdx.length > 0
        ? keyIdx.map((i) => row[i] ?? null)
        : row.map((c, i) => (specs[i]?.type.kind === 'float' && c !== null ? String(Number(c)) : c)),
    );
  const rowsEqual = (a: Row, b: Row) => specs.every((s, i) => cellsEqual(a[i] ?? null, b[i] ?? null, s));
  const pending = new Map<string, Row[]>();
  for (const row of actual) {
    const k = keyOf(row);
    const list = pending.get(k);
    if (list) list.push(row);
    else pending.set(k, [row]);
  }
  const missing: Record<string, Cell>[] = [];
  const changed: ChangedRow[] = [];
  for (const row of expected) {
    const list = pending.get(keyOf(row));
    const at = list ? list.findIndex((r) => rowsEqual(r, row)) : -1;
    if (list && at >= 0) {
      list.splice(at, 1);
      continue;
    }
    if (list && list.length > 0 && keyIdx.length > 0) {
      const got = list.shift() as Row;
      const cells = specs.flatMap((s, i) =>
        cellsEqual(row[i] ?? null, got[i] ?? null, s)
          ? []
          : [{ column: s.name, expected: row[i] ?? null, actual: got[i] ?? null }],
      );
      changed.push({ key: Object.fromEntries(keyIdx.map((i) => [columns[i] as string, row[i] ?? null])), cells });
      continue;
    }
    missing.push(record(columns, row));
  }
  const extra = [...pending.values()].flat().map((r) => record(columns, r));
  const same = missing.length === 0 && extra.length === 0 && changed.length === 0;
  if (same && ordered) {
    const index = expected.findIndex((row, i) => !rowsEqual(row, actual[i] ?? []));
    if (index >= 0) {
      return {
        equal: false,
        missing,
        extra,
        changed,
        order: {
          index,
          expected: record(columns, expected[index] ?? []),
          actual: record(columns, actual[index] ?? []),
        },
      };
    }
  }
  return { equal: same, missing, extra, changed };
}
