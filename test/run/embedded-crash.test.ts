import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import {
  canonicalRows,
  expectedOutput,
  fixtureChainWorkspace,
  hekima,
  hekimaRunCrashingAt,
  json,
  type QueryJson,
  type RunSummaryJson,
} from './e2e-support.js';
import { currentRows } from './run-support.js';

/**
 * Embedded mode for real: the `hekima` binary (from the build) with no server at all (PGlite and
 * the lake under `.hekima/`), on the retail workspace fed with its products' raw test fixtures;
 * then a SIGKILL between a snapshot write and its commit, and the retry.
 */
describe('hekima run in embedded mode: exact outputs, a real crash and the retry', () => {
  let dir: string;
  const env: Record<string, string> = { HEKIMA_LOG_LEVEL: 'warn' }; // no ERP_PASSWORD: the ERP is out of reach
  let first: RunSummaryJson;
  const status = (s: RunSummaryJson, product: string) => s.products.find((p) => p.product === product);
  const query = async (product: string, ...args: string[]) => {
    const r = await hekima(['query', product, '--json', ...args], dir, env);
    expect(r.code, r.stderr).toBe(0);
    return json<QueryJson>(r);
  };
  /** The embedded catalog is one process's: open it here only between CLI runs. */
  const inspect = async <T>(fn: (platform: Platform) => Promise<T>): Promise<T> => {
    const platform = createPlatform({ config: await loadConfig({ env, workspaceRoot: dir }) });
    try {
      return await fn(platform);
    } finally {
      await platform.close();
    }
  };
  const SUCCEEDED = [
    'customers',
    'outlets',
    'pos-transactions',
    'products-catalog',
    'category-basket-affinity',
    'customer-lifetime-value',
    'outlet-daily-sales',
  ];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-embedded-crash-'));
    await fixtureChainWorkspace(dir, 'test');
    const r = await hekima(['run', '--json'], dir, env);
    expect(r.code, r.stderr).toBe(0);
    first = json<RunSummaryJson>(r);
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs every product it can reach; the ERP product and its consumer are skipped with the reason', () => {
    expect(first.ok).toBe(true);
    expect(
      first.products
        .filter((p) => p.status === 'succeeded')
        .map((p) => p.product)
        .sort(),
    ).toEqual([...SUCCEEDED].sort());
    expect(status(first, 'erp-inventory')?.reason).toMatch(/source cannot be reached here: .*ERP_PASSWORD/);
    expect(status(first, 'store-manager-dashboard-feed')?.reason).toMatch(/^upstream erp-inventory was skipped/);
  });

  it('every product that ran equals its tests/fixtures/expected_output.csv, value for value', async () => {
    await inspect(async (platform) => {
      for (const product of SUCCEEDED) {
        const expected = await expectedOutput(dir, product);
        const { rows } = await currentRows(platform, product);
        expect(canonicalRows(rows, expected.types, expected.columns), product).toEqual(expected.rows);
      }
    });
    const outlets = await expectedOutput(dir, 'outlets');
    const served = await query('outlets');
    expect(served.source).toBe('lookup');
    expect(canonicalRows(served.rows, outlets.types, outlets.columns)).toEqual(outlets.rows);
  });

  describe('a crash (SIGKILL) between the snapshot write of outlets and its commit', () => {
    let before: { snapshotId: string; names: unknown[] };
    let customersBefore: number;
    let crashed: Awaited<ReturnType<typeof hekimaRunCrashingAt>>;
    let stagedId: string;
    let crashedExecutionId: string | undefined;
    beforeAll(async () => {
      [before, customersBefore] = await inspect(async (platform) => {
        const outlets = await currentRows(platform, 'outlets');
        const { productId, tenantId } = await currentRows(platform, 'customers');
        const visible = await (await platform.catalog()).forTenant(tenantId).snapshots.visible(productId);
        return [
          { snapshotId: outlets.snapshotId, names: outlets.rows.map((r) => r['outlet_name']).sort() },
          visible.length,
        ];
      });
      const csv = join(dir, 'data/outlets.csv');
      await writeFile(
        csv,
        (await readFile(csv, 'utf8')).replace('NBO-002,Karen Express,', 'NBO-002,Karen Junction Express,'),
      );
      crashed = await hekimaRunCrashingAt('outlets', dir, env);
    }, 120_000);

    it('the process died by the signal', () => {
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      expect(crashed.stderr).toMatch(/SIGKILL before the commit of outlets/);
    });

    it('no visible partial snapshot: the pointer is unchanged, the staged one invisible; earlier commits survived', async () => {
      await inspect(async (platform) => {
        const current = await currentRows(platform, 'outlets');
        expect(current.snapshotId).toBe(before.snapshotId);
        const snapshots = (await platform.catalog()).forTenant(current.tenantId).snapshots;
        const staged = await snapshots.list({ limit: 100 }, { productId: current.productId, state: 'staged' });
        expect(staged.items).toHaveLength(1);
        expect(staged.items[0]!.id).not.toBe(before.snapshotId);
        stagedId = staged.items[0]!.id;
        crashedExecutionId = staged.items[0]!.executionId;
        // The killed process left its execution in flight.
        const execution = await (
          await platform.catalog()
        )
          .forTenant(current.tenantId)
          .executions.get(crashedExecutionId as string);
        expect(['running', 'checking', 'promoting']).toContain(execution?.state);
        // customers ran before outlets in the crashed process: its commit is durable (PGlite on disk).
        const customers = await currentRows(platform, 'customers');
        expect(await snapshots.visible(customers.productId)).toHaveLength(customersBefore + 1);
      });
    });

    it('hekima query still serves the previous data', async () => {
      const served = await query('outlets');
      expect(served.snapshotId).toBe(before.snapshotId);
      expect(served.rows.map((r) => r['outlet_name']).sort()).toEqual(before.names);
      expect(before.names).toContain('Karen Express');
    });

    it('the next hekima run succeeds and serves the new data', async () => {
      const r = await hekima(['run', '--json'], dir, env);
      expect(r.code, r.stderr).toBe(0);
      const retry = json<RunSummaryJson>(r);
      // Embedded mode holds the catalog alone: the leftovers of the killed run go at once.
      expect(retry.recovered?.swept).toEqual([stagedId]);
      expect(retry.recovered?.cancelled).toEqual([crashedExecutionId]);
      await inspect(async (platform) => {
        const current = await currentRows(platform, 'outlets');
        const tenant = (await platform.catalog()).forTenant(current.tenantId);
        expect((await tenant.snapshots.get(stagedId))?.state).toBe('discarded');
        const execution = await tenant.executions.get(crashedExecutionId as string);
        expect(execution?.state).toBe('cancelled');
        expect(execution?.stateReason).toMatch(/^interrupted: the process running it ended/);
      });
      expect(
        retry.products
          .filter((p) => p.status === 'succeeded')
          .map((p) => p.product)
          .sort(),
      ).toEqual([...SUCCEEDED].sort());
      const served = await query('outlets', '--filter', 'outlet_id:NBO-002');
      expect(served.snapshotId).toBe(status(retry, 'outlets')?.snapshotId);
      expect(served.rows.map((r) => r['outlet_name'])).toEqual(['Karen Junction Express']);
      const daily = await inspect(async (platform) => (await currentRows(platform, 'outlet-daily-sales')).rows);
      expect(daily.filter((r) => r['outlet_id'] === 'NBO-002').map((r) => r['outlet_name'])).toEqual([
        'Karen Junction Express',
      ]);
    });
  });
});
