import { DuckDBInstance } from '@duckdb/node-api';
import { onPlatformClose } from './spare-registry.js';

/**
 * Fresh in-memory DuckDB instances, made one step ahead. Every run, check and extract gets an
 * instance nobody used before (that is the isolation: a used instance is closed, never handed
 * out again); creating one costs ~15–20 ms, spent on a libuv thread. So when one is taken, the
 * next one with the same options starts being made in the background, while the caller binds
 * inputs, writes to the catalog or runs its query, and the next run takes it at once.
 *
 * At most one spare per set of options is kept, for a few sets (the oldest is closed beyond
 * that); `closeSpares` closes what is left (the platform calls it when it closes, see
 * spare-registry.ts).
 */
const MAX_KINDS = 4;
const spares = new Map<string, Promise<DuckDBInstance | undefined>>();

export async function takeInstance(options: Readonly<Record<string, string>>): Promise<DuckDBInstance> {
  const key = JSON.stringify(Object.entries(options).sort(([a], [b]) => a.localeCompare(b)));
  const spare = spares.get(key);
  spares.delete(key);
  const instance = (await spare) ?? (await DuckDBInstance.create(':memory:', { ...options }));
  refill(key, options);
  return instance;
}

function refill(key: string, options: Readonly<Record<string, string>>): void {
  const made = DuckDBInstance.create(':memory:', { ...options }).catch(() => undefined);
  spares.set(key, made);
  while (spares.size > MAX_KINDS) {
    const [oldest, instance] = spares.entries().next().value as [string, Promise<DuckDBInstance | undefined>];
    spares.delete(oldest);
    void instance.then((i) => i?.closeSync());
  }
}

/** Closes the spares made ahead (the next take makes a new one). */
export async function closeSpares(): Promise<void> {
  const pending = [...spares.values()];
  spares.clear();
  for (const instance of await Promise.all(pending)) instance?.closeSync();
}

onPlatformClose(closeSpares);
