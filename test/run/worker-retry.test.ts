import { access, appendFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureOf } from '../../platform-core/src/adapters/connectors/shared/source-files.js';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { runJson } from './run-support.js';
import { finished, inspect, parquetRows, workerUntil, type Inspection } from './worker-retry-support.js';
import { retryWorkspace } from './worker-retry-workspace.js';

const TENANT = 'worker-retry';

/**
 * compute.yaml `retry` in `hekima worker` (the CLI command in-process, embedded catalog). `hekima
 * run --product src` commits src; its DataAvailable triggers flaky, hopeless and broken, left
 * ready. Worker 1 runs them: flaky's source file changes during its first attempt (Transient
 * `source_changed` at the commit), so it goes back to `ready` for attempt 2 of 2 after 4 s; broken
 * fails in its SQL (not retryable) at once. Worker 1 stops as soon as flaky's attempt 1 is over:
 * the catalog is inspected between the attempts. Worker 2 runs flaky's attempt 2 (it succeeds, reading the
 * file as it is now), then `after`, which flaky's commit triggers. hopeless's file changes during
 * every attempt: it fails once its 2 attempts are used.
 */
describe('hekima worker retries product executions per compute.yaml (embedded)', () => {
  let dir: string;
  let platform: Platform | undefined;
  let between: Inspection;
  let end: Inspection;
  let logs = '';
  let flakyChanges = 0;
  let churns = 0;

  // The source files change between an attempt's read and its commit (as a file being rewritten
  // by its producer would): flaky's once, hopeless's every time.
  const beforeCommit = async (product: string) => {
    if (product === 'flaky' && flakyChanges++ === 0) await appendFile(join(dir, 'data/extra.csv'), '4,400\n');
    if (product === 'hopeless') await appendFile(join(dir, 'data/churn.csv'), `${++churns + 1},1\n`);
  };

  beforeAll(async () => {
    dir = await retryWorkspace(TENANT);
    const first = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    const run = await runJson(first, dir, {}, { product: 'src' });
    await first.close();
    expect(run.code, run.err).toBe(0);
    const left = (run.summary as typeof run.summary & { leftForWorkers: { product: string }[] }).leftForWorkers;
    expect(left.map((t) => t.product).sort()).toEqual(['broken', 'flaky', 'hopeless']);

    // Stopped as soon as flaky's first attempt is over, well before its 4 s backoff ends.
    const one = await workerUntil(dir, beforeCommit, (log) => finished(log, 'flaky'));
    between = await inspect(dir, TENANT);
    const two = await workerUntil(
      dir,
      beforeCommit,
      (log) =>
        finished(log, 'after') &&
        finished(one + log, 'broken') &&
        (one + log).match(/execution finished[^\n]*"product":"hopeless"/g)?.length === 2,
    );
    logs = one + two;
    end = await inspect(dir, TENANT);
    platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
  }, 150_000);
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a transient failure puts the execution back to ready with the next attempt, its backoff and why', () => {
    const flaky = between.only('flaky');
    expect(flaky, logs.slice(-3000)).toMatchObject({ state: 'ready', attempt: 2, maxAttempts: 2 });
    expect(flaky.leaseOwner).toBeUndefined();
    expect(flaky.error).toMatchObject({ kind: 'Transient', code: 'source_changed' });
    expect(flaky.stateReason).toMatch(
      /^Transient source_changed; attempt 2 of 2 in 4 s: Input "extra": the file "extra.csv" changed while the run read it/,
    );
    const retried = between.transitions.get(flaky.id)!.at(-1)!;
    expect(retried).toMatchObject({ from: 'checking', to: 'ready', reason: flaky.stateReason });
    const backoff = Date.parse(flaky.notBefore!) - Date.parse(retried.at);
    expect(backoff).toBeGreaterThanOrEqual(3900);
    expect(backoff).toBeLessThanOrEqual(4100);
  });

  it('nothing of the failed attempt is left: its staged snapshot is discarded, the state not advanced', async () => {
    expect(between.snapshots.get('flaky')!.map((s) => s.state)).toEqual(['discarded']);
    const [staged] = between.snapshots.get('flaky')!;
    expect(staged?.executionId).toBe(between.only('flaky').id);
    await expect(access(dirname(join(between.lakeRoot, staged!.location)))).rejects.toThrow(/ENOENT/);
    expect(between.states.get('flaky')).toEqual([]);
    expect(between.executions.get('after') ?? []).toEqual([]);
    expect(between.dataAvailable.get('flaky') ?? 0).toBe(0);
  });

  it('a permanent failure is not retried: failed at its first attempt with the error', () => {
    const broken = end.only('broken');
    expect(broken).toMatchObject({ state: 'failed', attempt: 1, maxAttempts: 3 });
    expect(broken.error).toMatchObject({ code: 'conversion_failed', retryable: false });
    expect(broken.stateReason).toMatch(/broken\/logic\/transform\.sql.*Could not convert/);
    expect(broken.stateReason).not.toMatch(/attempt/);
    expect(end.transitions.get(broken.id)!.map((t) => t.to)).toEqual(['pending', 'ready', 'running', 'failed']);
    // Its failed transform staged a snapshot too: discarded with the attempt.
    expect(end.snapshots.get('broken')!.map((s) => s.state)).toEqual(['discarded']);
  });

  it('the next worker runs attempt 2 after the backoff; it succeeds with the source as it is now', async () => {
    const flaky = end.only('flaky');
    expect(flaky, logs.slice(-3000)).toMatchObject({ state: 'succeeded', attempt: 2 });
    const moves = end.transitions.get(flaky.id)!;
    expect(moves.map((t) => t.to)).toEqual([
      'pending',
      'ready',
      'running',
      'checking',
      'ready',
      'running',
      'checking',
      'promoting',
      'succeeded',
    ]);
    expect(Date.parse(moves[5]!.at)).toBeGreaterThanOrEqual(Date.parse(between.only('flaky').notBefore!));
    const committed = end.snapshots.get('flaky')!.filter((s) => s.state !== 'discarded');
    expect(committed).toHaveLength(1);
    expect(committed[0]).toMatchObject({ executionId: flaky.id, rowCount: 4 });
    expect(await parquetRows(join(end.lakeRoot, committed[0]!.location), 'id, w')).toEqual([
      [1, 100],
      [2, 200],
      [3, 300],
      [4, 400],
    ]);
  });

  it('exactly one commit: one snapshot, the connector state advanced once, one DataAvailable, one downstream run', async () => {
    const flaky = end.only('flaky');
    const snapshots = end.snapshots.get('flaky')!;
    expect(snapshots.map((s) => s.state).sort()).toEqual(['discarded', 'promoted']);
    expect(snapshots.filter((s) => s.state === 'staged')).toEqual([]);
    const committed = snapshots.find((s) => s.state === 'promoted')!;
    // On disk: the committed snapshot's folder only.
    const folders = await platform!.lake().list(flaky.tenantId, 'flaky', '1.0.0');
    expect(folders.map((f) => f.snapshotId)).toEqual([committed.id]);

    const [state, ...more] = end.states.get('flaky')!;
    expect(more).toEqual([]);
    expect(state).toMatchObject({ inputId: 'extra', snapshotId: committed.id });
    const files = state!.state['files'] as Record<string, string>;
    expect(Object.values(files)).toEqual([await signatureOf(join(dir, 'data/extra.csv'))]);

    expect(end.dataAvailable.get('flaky')).toBe(1);
    const after = end.executions.get('after') ?? [];
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ state: 'succeeded', trigger: 'event', attempt: 1 });
    expect(end.snapshots.get('after')!.map((s) => s.state)).toEqual(['promoted']);
  });

  it('retries exhausted: failed with the attempts in the reason, nothing committed', () => {
    const hopeless = end.only('hopeless');
    expect(hopeless).toMatchObject({ state: 'failed', attempt: 2, maxAttempts: 2 });
    expect(hopeless.error).toMatchObject({ kind: 'Transient', code: 'source_changed' });
    expect(hopeless.stateReason).toMatch(
      /^Input "churn": the file "churn\.csv" changed while the run read it.*\(Transient source_changed; no attempts left \(2 of 2\)\)$/,
    );
    const moves = end.transitions.get(hopeless.id)!.map((t) => t.to);
    expect(moves.filter((to) => to === 'running')).toHaveLength(2);
    expect(moves.at(-1)).toBe('failed');
    expect(end.snapshots.get('hopeless')!.map((s) => s.state)).toEqual(['discarded', 'discarded']);
    expect(end.states.get('hopeless')).toEqual([]);
    expect(end.dataAvailable.get('hopeless') ?? 0).toBe(0);
    expect(churns).toBe(2);
  });
});
