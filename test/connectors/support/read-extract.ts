import { openDuck } from '../../../platform-core/src/adapters/connectors/shared/extract-writer.js';
import { selectOf } from '../../../platform-core/src/adapters/duckdb/load-inputs.js';
import type { FileTableSource } from '../../../platform-core/src/ports/engine.js';

/**
 * The rows of an extract as JSON objects (DuckDB's JSON rendering), in the given order: a
 * Parquet file, or an extract's `source` read as the engine reads it (a copy or files in place).
 */
export async function readExtract(
  from: string | { readonly source: FileTableSource },
  orderBy = 'ALL',
): Promise<Record<string, unknown>[]> {
  const source: FileTableSource =
    typeof from === 'string' ? { kind: 'file', path: from, format: 'parquet' } : from.source;
  const duck = await openDuck();
  try {
    const reader = await duck.connection.runAndReadAll(`SELECT * FROM (${selectOf(source)}) ORDER BY ${orderBy}`);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    duck.close();
  }
}

export const signal = (): AbortSignal => new AbortController().signal;
