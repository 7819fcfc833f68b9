import { durationSeconds } from '../../domain/duration.js';
import { parseCpu, parseMemory } from '../../domain/execution/resources.js';
import { invalidArgument } from '../../domain/errors.js';
import type { EngineLimits, OutputColumnSpec } from '../../ports/engine.js';
import { entrypointOf, joinPath, outputColumns, str, valueOf, type ProductUnit } from '../validate/product-unit.js';

/** What running a product's logic needs from its manifests. */
export interface ProductLogic {
  readonly runtime: 'sql' | 'python';
  /** The logic file relative to the product folder, and relative to the workspace root. */
  readonly entrypoint: string;
  readonly file: string;
  readonly text: string | undefined;
  readonly output: readonly OutputColumnSpec[];
  readonly limits: Required<EngineLimits>;
}

const DEFAULT_TIMEOUT_S = 30 * 60;

/** The declared columns as the engine needs them (a column of unknown type is an error). */
export function outputSpecs(unit: ProductUnit): OutputColumnSpec[] {
  return outputColumns(unit).map((c) => {
    if (!c.type)
      throw invalidArgument(
        'invalid_output_type',
        `output.yaml: column ${c.name} has no valid type (${c.typeText ?? 'none'})`,
      );
    return { name: c.name, type: c.type, primaryKey: c.primaryKey, nullable: c.nullable };
  });
}

/** memory, threads (CPU rounded up to whole cores) and timeout of compute.yaml, with defaults. */
export function limitsOf(unit: ProductUnit): Required<EngineLimits> {
  const resources = valueOf(unit, 'Compute')?.['resources'];
  const r = typeof resources === 'object' && resources !== null ? (resources as Record<string, unknown>) : {};
  const cpu = str(r['cpu']);
  const memory = str(r['memory']);
  const timeout = str(r['timeout']);
  return {
    threads: Math.max(1, Math.ceil((cpu ? parseCpu(cpu) : 500) / 1000)),
    memoryBytes: memory ? parseMemory(memory) : 2 ** 30,
    timeoutMs: ((timeout ? durationSeconds(timeout) : undefined) ?? DEFAULT_TIMEOUT_S) * 1000,
  };
}

export function productLogic(unit: ProductUnit): ProductLogic {
  const entry = entrypointOf(unit);
  const declared = str(valueOf(unit, 'Compute')?.['runtime']);
  const runtime = declared === 'python' || (declared === undefined && entry.path.endsWith('.py')) ? 'python' : 'sql';
  return {
    runtime,
    entrypoint: entry.path,
    file: joinPath(unit.folder, entry.path),
    text: unit.texts.get(entry.path)?.text,
    output: outputSpecs(unit),
    limits: limitsOf(unit),
  };
}
