import { createHash, randomUUID } from 'node:crypto';
import { access, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseKeeper } from '../../platform-core/src/application/executions/lease-heartbeat.js';
import { commitSnapshot } from '../../platform-core/src/application/lake/commit-snapshot.js';
import { discardStaged, sweepLake } from '../../platform-core/src/application/lake/sweep-lake.js';
import { writeSnapshot, type SnapshotTarget } from '../../platform-core/src/application/lake/write-snapshot.js';
import { leaseExecution, parseRunLease } from '../../platform-core/src/application/run/lease-execution.js';
import { runRun, type RunHooks } from '../../platform-core/src/cli/commands/run.js';
import type { Execution } from '../../platform-core/src/domain/catalog/execution.js';
import type { ExecutionQueue } from '../../platform-core/src/ports/execution-queue.js';
import type { Logger } from '../../platform-core/src/ports/logger.js';
import { hekima, hekimaRunCrashingAt, json, type RunSummaryJson } from './e2e-support.js';
import { currentRows } from './run-support.js';
import { serverWorld, type ServerWorld } from './server-mode-support.js';
import { capturedIo } from '../cli/captured-io.js';

/**
 * Server mode (shared PostgreSQL catalog), crash cleanup within a lease: `hekima run` holds each
 * execution under a short lease kept by a heartbeat (here HEKIMA_RUN_LEASE=2s instead of 60 s).
 * A killed run stops heartbeating; the next run ends its execution (lease expiry, as for a worker)
 * and sweeps its staged snapshot at once, while a live run's staged snapshot is left alone and a
 * run that lost its lease commits nothing.
 */
const LEASE = '2s';
const LEASE_MS = 2000;
const VERSION = '1.1.0'; // outlets' metadata.version in the retail workspace

interface Summary extends RunSummaryJson {
  readonly recovered?: {
    readonly cancelled: string[];
    readonly expired: string[];
    readonly swept: string[];
    readonly scratch: string[];
  };
  readonly products: (RunSummaryJson['products'][number] & { errorCode?: string })[];
}

const SILENT: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => SILENT,
};

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Polls `probe` every 50 ms until it is true (or fails the test after `ms`). */
async function until(what: string, probe: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('hekima run in server mode: crash cleanup within a lease', () => {
  let w: ServerWorld;
  let queue: ExecutionQueue;
  let outlets: { productId: string; productVersionId: string };
  const env = () => ({ ...w.env, HEKIMA_RUN_LEASE: LEASE });
  const tenant = async () => (await w.platform.catalog()).forTenant(w.tenantId);
  const execution = async (id: string) => (await (await tenant()).executions.get(id)) as Execution;
  const staged = async () =>
    (await (await tenant()).snapshots.list({ limit: 100 }, { productId: outlets.productId, state: 'staged' })).items;
  const lakeIds = async () => (await w.platform.lake().list(w.tenantId, 'outlets', VERSION)).map((e) => e.snapshotId);
  const outletsOf = (s: Summary) => s.products.find((p) => p.product === 'outlets');
  /** `hekima run --json --product <product>` in this process (its hooks reach the commit), on the world's catalog. */
  const runHere = async (product: string, hooks: RunHooks = {}) => {
    const { io, stdout, stderr } = capturedIo(w.dir, env());
    const code = await runRun(w.platform, io, undefined, { workspace: w.dir, json: true, product }, hooks);
    return { code, stderr: stderr(), summary: JSON.parse(stdout()) as Summary };
  };
  /** Ends the lease as a dead holder's ends: expired by the database clock, then the expiry maintenance. */
  const expire = async (id: string) => {
    for (;;) {
      await w.sql(`UPDATE "${w.schema}".executions SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [
        id,
      ]);
      const { expired } = await queue.maintain({ tenantId: w.tenantId, maxResumes: 5, workerTtlMs: 10_000 });
      if (expired.includes(id)) return; // else a heartbeat renewed it in between: again
    }
  };

  beforeAll(async () => {
    w = await serverWorld('crashclean');
    queue = (await w.platform.executions()).queue;
    const r = await hekima(['run', '--json', '--product', 'outlets'], w.dir, env());
    expect(r.code, r.stderr).toBe(0);
    const first = outletsOf(json<Summary>(r))!;
    const e = await execution(first.executionId!);
    outlets = { productId: e.productId, productVersionId: e.productVersionId };
  }, 180_000);
  afterAll(async () => {
    await w?.cleanup();
  });

  it('HEKIMA_RUN_LEASE takes a duration of at least 1s, and says so otherwise', () => {
    expect(parseRunLease(undefined)).toBeUndefined();
    expect(parseRunLease('')).toBeUndefined();
    expect([parseRunLease('2s'), parseRunLease('1.5m'), parseRunLease('3000ms'), parseRunLease('2500')]).toEqual([
      2000, 90_000, 3000, 2500,
    ]);
    for (const bad of ['500ms', 'soon', '-3s', '2h'])
      expect(() => parseRunLease(bad), bad).toThrow(/HEKIMA_RUN_LEASE must be a duration of at least 1s/);
  });

  it('a heartbeat keeps a lease alive past its length; unkept, it expires with the reason; a lost one fires `lost`', async () => {
    const submit = (key: string) =>
      leaseExecution(
        queue,
        w.tenantId,
        { ...outlets, trigger: 'manual', idempotencyKey: `${key}-${randomUUID()}` },
        undefined,
        1000,
      );
    const kept = await submit('kept');
    const unkept = await submit('unkept');
    const keeper = new LeaseKeeper(kept, { clock: w.platform.clock, logger: SILENT, heartbeatMs: 150 });
    try {
      // Past both leases' first length (by the leases' own expiry, not a guessed delay): only
      // the heartbeat can have kept `kept` alive.
      const firstExpiry = Math.max(
        ...(await Promise.all(
          [kept, unkept].map(async (l) => Date.parse((await execution(l.execution.id)).leaseExpiresAt!)),
        )),
      );
      await until('both first lease lengths to pass', () => Date.now() > firstExpiry + 100, 10_000);
      const { expired } = await queue.maintain({ tenantId: w.tenantId, maxResumes: 5, workerTtlMs: 10_000 });
      expect(expired).toEqual([unkept.execution.id]);
      expect((await execution(kept.execution.id)).state).toBe('running');
      expect(keeper.lost.aborted).toBe(false);
      const ended = await execution(unkept.execution.id);
      expect(ended.state).toBe('ready');
      expect(ended.stateReason).toMatch(
        /^the lease of worker hekima-run-\d+ expired \(its process stopped heartbeating\); ready to resume/,
      );
      // Taken away (a cancel; an expiry taken over by another holder is the same to the fence).
      await queue.cancel(w.tenantId, kept.execution.id, 'test: taken away');
      await until('the heartbeat to notice', () => keeper.lost.aborted, 2000);
      expect(keeper.lost.reason).toMatchObject({ code: 'lease_lost' });
      await expect(keeper.check()).rejects.toMatchObject({ code: 'lease_lost' });
    } finally {
      await keeper.stop();
    }
    await queue.cancel(w.tenantId, unkept.execution.id, 'test: done');
  });

  it('the sweep discards a staged snapshot at once when its execution no longer holds a lease, keeps a live one, and never a committed one', async () => {
    const deps = { catalog: await w.platform.catalog(), lake: w.platform.lake() };
    const target = (executionId?: string): SnapshotTarget => ({
      tenantId: w.tenantId,
      productId: outlets.productId,
      productVersionId: outlets.productVersionId,
      product: 'outlets',
      version: VERSION,
      ...(executionId ? { executionId } : {}),
    });
    const bytes = async (tempPath: string) => {
      await writeFile(tempPath, 'PAR1 leftover');
      return { rowCount: 1 };
    };
    const live = await leaseExecution(queue, w.tenantId, {
      ...outlets,
      trigger: 'manual',
      idempotencyKey: `live-${randomUUID()}`,
    });
    const gone = await leaseExecution(queue, w.tenantId, {
      ...outlets,
      trigger: 'manual',
      idempotencyKey: `gone-${randomUUID()}`,
    });
    const ofLive = await writeSnapshot(deps, target(live.execution.id), bytes);
    const ofGone = await writeSnapshot(deps, target(gone.execution.id), bytes);
    const orphan = await writeSnapshot(deps, target(), bytes);
    await gone.finish('failed', 'test: failed after staging');
    const sweep = (graceMs?: number) =>
      sweepLake(deps, {
        tenantId: w.tenantId,
        productId: outlets.productId,
        product: 'outlets',
        version: VERSION,
        ...(graceMs === undefined ? {} : { graceMs }),
      });

    const first = await sweep();
    expect(first.discarded).toEqual([ofGone.snapshot.id]);
    expect(first.removed).toEqual([ofGone.snapshot.id]);
    expect(await exists(dirname(ofGone.file.path))).toBe(false);
    expect(await exists(ofLive.file.path)).toBe(true); // its execution holds a live lease
    expect(await exists(orphan.file.path)).toBe(true); // no execution to ask: the grace period
    // Lease expired (database clock) and ended by the maintenance: a leftover at once.
    await expire(live.execution.id);
    expect((await sweep()).discarded).toEqual([ofLive.snapshot.id]);
    // The holder that lost its lease cannot commit what was swept.
    await expect(commitSnapshot(deps, ofLive)).rejects.toMatchObject({ code: 'invalid_snapshot_transition' });
    expect((await sweep(0)).discarded).toEqual([orphan.snapshot.id]);
    expect(await staged()).toEqual([]);
    await queue.cancel(w.tenantId, live.execution.id, 'test: done');

    // A snapshot committed between the sweep's read and its discard stays committed (a probe product).
    const probe = await deps.catalog.transaction(w.tenantId, async (tx) => {
      const team = await tx.teams.create({ name: `probe-${randomUUID().slice(0, 8)}` });
      const product = await tx.products.register({ name: 'sweep-probe', teamId: team.id });
      const version = await tx.products.addVersion({
        productId: product.id,
        version: '1.0.0',
        manifests: {},
        manifestHash: createHash('sha256').update('{}').digest('hex'),
      });
      return { productId: product.id, productVersionId: version.id };
    });
    const committed = await commitSnapshot(
      deps,
      await writeSnapshot(deps, { tenantId: w.tenantId, ...probe, product: 'sweep-probe', version: '1.0.0' }, bytes),
    );
    expect(await discardStaged(deps, committed.snapshot)).toBe(false);
    expect((await deps.catalog.forTenant(w.tenantId).snapshots.get(committed.snapshot.id))?.state).toBe('committed');
  });

  it('a run SIGKILLed before its commit: after the lease, the next run ends its execution and sweeps its snapshot', async () => {
    const before = await currentRows(w.platform, 'outlets');
    const crashed = await hekimaRunCrashingAt('outlets', w.dir, env());
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    const [left] = await staged();
    expect(left).toBeDefined();
    const executionId = left!.executionId!;
    expect(['running', 'checking']).toContain((await execution(executionId)).state);
    expect(await lakeIds()).toContain(left!.id);

    // The killed process stopped heartbeating: its lease runs out (database clock).
    await until('the lease to expire', async () => {
      const [row] = await w.sql(`SELECT lease_expires_at < now() AS over FROM "${w.schema}".executions WHERE id = $1`, [
        executionId,
      ]);
      return row?.['over'] === true;
    });
    const next = await hekima(['run', '--json', '--product', 'outlets'], w.dir, env());
    expect(next.code, next.stderr).toBe(0);
    const summary = json<Summary>(next);
    expect(summary.recovered).toEqual({
      cancelled: [],
      expired: [executionId],
      swept: [left!.id],
      // The killed process's working folder (its extracts), which it could not remove.
      scratch: [expect.stringMatching(/\/\.hekima\/tmp\/run-[0-9a-f]{8}-\d+-/)],
    });
    const ended = await execution(executionId);
    expect(ended.state).toBe('ready'); // as a worker's: resumable (or failed after too many expiries)
    expect(ended.stateReason).toMatch(
      /^the lease of worker hekima-run-\d+ expired \(its process stopped heartbeating\)/,
    );
    expect((await (await tenant()).snapshots.get(left!.id))?.state).toBe('discarded');
    expect(await lakeIds()).not.toContain(left!.id);
    expect(outletsOf(summary)?.status).toBe('succeeded');
    expect((await currentRows(w.platform, 'outlets')).snapshotId).not.toBe(before.snapshotId);
    await queue.cancel(w.tenantId, executionId, 'test: done');
  }, 180_000);

  it("a live run's staged snapshot, heartbeating in another process, survives that process's recovery and commits", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atCommit = new Promise<void>((r) => (reached = r));
    const live = runHere('outlets', {
      beforeCommit: async (product) => {
        if (product !== 'outlets') return;
        reached();
        await gate;
      },
    });
    await atCommit;
    const [mine] = await staged();
    expect(mine).toBeDefined();
    const heldUntil = Date.parse((await execution(mine!.executionId!)).leaseExpiresAt!);
    // Another process's `hekima run` recovers first (its lease-expiry maintenance and sweep).
    const other = await hekima(['run', '--json', '--product', 'customers'], w.dir, env());
    expect(other.code, other.stderr).toBe(0);
    expect(json<Summary>(other).recovered).toEqual({ cancelled: [], expired: [], swept: [], scratch: [] });
    // Held past the lease it had when it paused (by that lease's own expiry, not a guessed
    // delay): only the heartbeat keeps it.
    await until('the paused run’s lease to pass', () => Date.now() > heldUntil + LEASE_MS, 30_000);
    const { expired } = await queue.maintain({ tenantId: w.tenantId, maxResumes: 5, workerTtlMs: 10_000 });
    expect(expired).toEqual([]);
    expect(await lakeIds()).toContain(mine!.id);
    release();
    const done = await live;
    expect(done.code, done.stderr).toBe(0);
    expect(outletsOf(done.summary)).toMatchObject({ status: 'succeeded', snapshotId: mine!.id });
    expect((await currentRows(w.platform, 'outlets')).snapshotId).toBe(mine!.id);
  }, 180_000);

  it('a run that lost its lease before the commit aborts the product and commits nothing', async () => {
    const before = await currentRows(w.platform, 'outlets');
    let stolen: Execution | undefined;
    const lost = await runHere('outlets', {
      beforeCommit: async (product) => {
        if (product !== 'outlets') return;
        const [mine] = await staged();
        // The lease expires (the run looked dead) and another holder takes the execution over.
        await expire(mine!.executionId!);
        const thief = await queue.claimById(w.tenantId, mine!.executionId!, { workerId: 'thief', leaseMs: 60_000 });
        stolen = thief?.execution;
      },
    });
    expect(stolen).toBeDefined();
    // Nothing committed: the previous snapshot is still the current one.
    expect((await currentRows(w.platform, 'outlets')).snapshotId).toBe(before.snapshotId);
    expect(lost.code).toBe(1);
    const report = outletsOf(lost.summary)!;
    expect(report).toMatchObject({ status: 'failed', errorCode: 'lease_lost', executionId: stolen!.id });
    expect(report.reason).toMatch(/lost the lease .*nothing was committed/);
    expect(report.snapshotId).toBeUndefined();
    const [left] = await staged();
    expect(left).toMatchObject({ executionId: stolen!.id, state: 'staged' });
    // The new holder's execution is untouched by the run that lost it.
    const held = await execution(stolen!.id);
    expect([held.state, held.leaseOwner]).toEqual(['running', 'thief']);
    await queue.cancel(w.tenantId, stolen!.id, 'test: done');
  }, 180_000);
});
