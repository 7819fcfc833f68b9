import { invalidArgument } from '../errors.js';
import type { JsonObject } from '../json.js';
import { quantityValue } from '../quantity.js';

/**
 * What an execution asks for and what a worker offers, in integer units: CPU in millicores,
 * memory in bytes. Stored on the execution as `requirements` (`{cpu_millis, memory_bytes,
 * expected_ms?}`), from compute.yaml `resources` (defaults 500m and 1Gi).
 */
export interface ResourceRequirements {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  /** Expected wall time of a run (placement's makespan term); unknown when absent. */
  readonly expectedMs?: number;
}

export interface WorkerCapacity {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
}

export const DEFAULT_REQUIREMENTS: ResourceRequirements = { cpuMillis: 500, memoryBytes: 2 ** 30 };

/** Parses a CPU quantity (`500m`, `2`) into millicores, or a memory quantity (`1Gi`) into bytes. */
export function parseCpu(text: string): number {
  const cores = quantityValue(text);
  if (cores === undefined || cores < 0) throw invalidArgument('invalid_quantity', `"${text}" is not a CPU quantity.`);
  return Math.ceil(cores * 1000);
}

export function parseMemory(text: string): number {
  const bytes = quantityValue(text);
  if (bytes === undefined || bytes < 0)
    throw invalidArgument('invalid_quantity', `"${text}" is not a memory quantity.`);
  return Math.ceil(bytes);
}

/** Requirements of a compute manifest (its JSON value). */
export function requirementsFromCompute(compute: JsonObject | undefined): ResourceRequirements {
  const resources = (compute?.['resources'] ?? {}) as JsonObject;
  const cpu = resources['cpu'];
  const memory = resources['memory'];
  return {
    cpuMillis: typeof cpu === 'string' ? parseCpu(cpu) : DEFAULT_REQUIREMENTS.cpuMillis,
    memoryBytes: typeof memory === 'string' ? parseMemory(memory) : DEFAULT_REQUIREMENTS.memoryBytes,
  };
}

/** The stored JSON form. */
export function requirementsToJson(r: ResourceRequirements): JsonObject {
  return {
    cpu_millis: r.cpuMillis,
    memory_bytes: r.memoryBytes,
    ...(r.expectedMs === undefined ? {} : { expected_ms: r.expectedMs }),
  };
}

/** Reads the stored form; missing or malformed numbers count as zero (asks for nothing). */
export function requirementsFromJson(json: JsonObject): ResourceRequirements {
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  const expected = json['expected_ms'];
  return {
    cpuMillis: n(json['cpu_millis']),
    memoryBytes: n(json['memory_bytes']),
    ...(typeof expected === 'number' && expected > 0 ? { expectedMs: expected } : {}),
  };
}

export function fits(need: ResourceRequirements, free: WorkerCapacity): boolean {
  return need.cpuMillis <= free.cpuMillis && need.memoryBytes <= free.memoryBytes;
}

export function subtract(free: WorkerCapacity, used: ResourceRequirements): WorkerCapacity {
  return { cpuMillis: free.cpuMillis - used.cpuMillis, memoryBytes: free.memoryBytes - used.memoryBytes };
}

export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? `${millis / 1000}` : `${millis}m`;
}

export function formatMemory(bytes: number): string {
  for (const [unit, size] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${+(bytes / size).toFixed(1)}${unit}`;
  }
  return `${bytes}`;
}

/**
 * Why no live worker can ever take `need` (each worker's whole capacity, not its free part), or
 * undefined when at least one could. This is the reason a ready execution shows while it waits.
 */
export function explainNoFit(need: ResourceRequirements, workers: readonly WorkerCapacity[]): string | undefined {
  if (workers.some((w) => fits(need, w))) return undefined;
  const wanted = `${formatCpu(need.cpuMillis)} CPU and ${formatMemory(need.memoryBytes)} memory`;
  if (workers.length === 0) return `fits no worker: needs ${wanted}; no worker is running`;
  const cpu = Math.max(...workers.map((w) => w.cpuMillis));
  const mem = Math.max(...workers.map((w) => w.memoryBytes));
  return (
    `fits no worker: needs ${wanted}; the largest live worker offers ` +
    `${formatCpu(cpu)} CPU and ${formatMemory(mem)} memory`
  );
}
