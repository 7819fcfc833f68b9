import { openDuck } from '../../../platform-core/src/adapters/connectors/shared/extract-writer.js';

/** The rows of a Parquet extract as JSON objects (DuckDB's JSON rendering), in the given order. */
export async function readExtract(file: string, orderBy = 'ALL'): Promise<Record<string, unknown>[]> {
  const duck = await openDuck();
  try {
    const reader = await duck.connection.runAndReadAll(
      `SELECT * FROM read_parquet('${file.replace(/'/g, "''")}') ORDER BY ${orderBy}`,
    );
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    duck.close();
  }
}

export const signal = (): AbortSignal => new AbortController().signal;
