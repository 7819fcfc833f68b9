import { DuckDbEngine } from '../../../platform-core/src/adapters/duckdb/duckdb-engine.js';
import { parseColumnType, type ColumnType } from '../../../platform-core/src/domain/column-type.js';
import type { HekimaError } from '../../../platform-core/src/domain/errors.js';
import type { EngineRequest, OutputColumnSpec } from '../../../platform-core/src/ports/engine.js';

export const engine = new DuckDbEngine();

/** A column type from its manifest text (throws on a bad one). */
export function columnType(text: string): ColumnType {
  const r = parseColumnType(text);
  if (!r.ok) throw new Error(r.error);
  return r.type;
}

/** An output.yaml column: nullable, not a key, unless `extra` says otherwise. */
export function col(name: string, type: string, extra: Partial<OutputColumnSpec> = {}): OutputColumnSpec {
  return { name, type: columnType(type), primaryKey: false, nullable: true, ...extra };
}

/** The error a run must fail with (the test fails if it succeeds). */
export async function failure(request: EngineRequest): Promise<HekimaError> {
  try {
    await engine.run(request);
  } catch (e) {
    return e as HekimaError;
  }
  throw new Error('expected the run to fail');
}
