import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';
import { resolveWorkspaceTenant } from '../../platform-core/src/application/workspace/workspace-tenant.js';
import { runWorker } from '../../platform-core/src/cli/commands/worker.js';
import { createPlatform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import type { Execution, ExecutionTransition } from '../../platform-core/src/domain/catalog/execution.js';
import type { ConnectorStateRecord } from '../../platform-core/src/domain/ingestion/connector-state.js';
import type { Snapshot } from '../../platform-core/src/domain/lake/snapshot.js';

/** True once the worker log says `product` finished an attempt. */
export const finished = (log: string, product: string) =>
  new RegExp(`product execution finished.*"product":"${product}"`).test(log);

/** Runs `hekima worker` (in-process) on `dir` until `done(log)` holds; returns its log. */
export async function workerUntil(
  dir: string,
  beforeCommit: ((product: string) => Promise<void>) | undefined,
  done: (log: string) => boolean,
): Promise<string> {
  const stop = new AbortController();
  const err: string[] = [];
  const io = {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (err.push(s), true) },
    cwd: dir,
    env: { HEKIMA_LOG_LEVEL: 'info' },
  };
  const worker = runWorker(io, { workspace: dir, lease: '5s', poll: '100ms', drain: '5s', audit: false }, stop.signal, {
    beforeCommit,
  });
  const deadline = Date.now() + 60_000;
  while (!done(err.join('')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  stop.abort();
  expect(await worker).toBe(0);
  const log = err.join('');
  expect(done(log), log.slice(-3000)).toBe(true);
  return log;
}

export interface Inspection {
  readonly lakeRoot: string;
  readonly executions: Map<string, Execution[]>;
  readonly transitions: Map<string, ExecutionTransition[]>;
  /** Every snapshot row of a product, oldest first. */
  readonly snapshots: Map<string, Snapshot[]>;
  readonly states: Map<string, ConnectorStateRecord[]>;
  /** DataAvailable events in the outbox, by product. */
  readonly dataAvailable: Map<string, number>;
  only(product: string): Execution;
}

/** What the embedded catalog holds now (opened and closed: the worker is stopped). */
export async function inspect(dir: string, tenantSlug: string): Promise<Inspection> {
  const p = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
  try {
    const catalog = await p.catalog();
    const tenant = catalog.forTenant((await resolveWorkspaceTenant(catalog, tenantSlug, { provision: false })).id);
    const products = (await tenant.products.list({ limit: 100 })).items;
    const executions = new Map<string, Execution[]>();
    const transitions = new Map<string, ExecutionTransition[]>();
    const snapshots = new Map<string, Snapshot[]>();
    const states = new Map<string, ConnectorStateRecord[]>();
    const dataAvailable = new Map<string, number>();
    for (const product of products) {
      const name = product.name;
      snapshots.set(
        name,
        [...(await tenant.snapshots.list({ limit: 100 }, { productId: product.id })).items].sort((a, b) =>
          a.createdAt.localeCompare(b.createdAt),
        ),
      );
      states.set(name, await tenant.connectorStates.ofProduct(product.id));
      const events = await tenant.events.list({ limit: 100 }, { eventType: 'DataAvailable', productId: product.id });
      dataAvailable.set(name, events.items.length);
    }
    const names = new Map(products.map((p) => [p.id, p.name]));
    for (const e of (await tenant.executions.list({ limit: 100 })).items) {
      const name = names.get(e.productId)!;
      executions.set(name, [...(executions.get(name) ?? []), e]);
      transitions.set(e.id, await tenant.executions.transitions(e.id));
    }
    return {
      lakeRoot: p.lake().root,
      executions,
      transitions,
      snapshots,
      states,
      dataAvailable,
      only(product) {
        const found = executions.get(product) ?? [];
        expect(found, product).toHaveLength(1);
        return found[0]!;
      },
    };
  } finally {
    await p.close();
  }
}

/** `SELECT <columns>` of a Parquet file (a snapshot), ordered by them, values as numbers. */
export async function parquetRows(path: string, columns: string): Promise<number[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const reader = await c.runAndReadAll(`SELECT ${columns} FROM read_parquet('${path}') ORDER BY ${columns}`);
    return reader.getRows().map((r) => r.map(Number));
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
