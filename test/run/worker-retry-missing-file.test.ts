import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { runJson } from './run-support.js';
import { finished, inspect, workerUntil, type Inspection } from './worker-retry-support.js';
import { retryWorkspace } from './worker-retry-workspace.js';

const TENANT = 'worker-retry-late';

/**
 * A source that is not there yet is a transient failure the worker retries (compute.yaml `retry`):
 * `late` reads data/late.csv, which its producer writes only after the first attempt failed
 * Transient `no_files_matched`. The same worker runs attempt 2 after the backoff, and it succeeds.
 */
describe('hekima worker retries a product whose input file is missing at first (embedded)', () => {
  let dir: string;
  let end: Inspection;
  let log = '';

  beforeAll(async () => {
    dir = await retryWorkspace(TENANT, ['late']);
    const first = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    const run = await runJson(first, dir, {}, { product: 'src' });
    await first.close();
    expect(run.code, run.err).toBe(0);

    let written = false;
    log = await workerUntil(dir, undefined, (text) => {
      if (!written && finished(text, 'late')) {
        written = true;
        void writeFile(join(dir, 'data/late.csv'), 'id\n1\n3\n');
      }
      // Skipped ("source cannot be reached here") is final too: the test then fails on it at once.
      return /"product":"late","status":"(succeeded|skipped)"/.test(text);
    });
    end = await inspect(dir, TENANT);
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the first attempt goes back to ready with the reason; the second reads the file', () => {
    const late = end.only('late');
    expect(late, log.slice(-3000)).toMatchObject({ state: 'succeeded', attempt: 2 });
    const moves = end.transitions.get(late.id)!;
    const retried = moves.find((t) => t.from === 'running' && t.to === 'ready');
    expect(retried?.reason).toMatch(
      /^Transient no_files_matched; attempt 2 of 2 in 2 s: No file matches "late\.csv" in the connection 'files'/,
    );
    expect(moves.filter((t) => t.to === 'running')).toHaveLength(2);
    expect(end.snapshots.get('late')!.map((s) => [s.state, s.rowCount])).toEqual([['promoted', 2]]);
    expect(end.dataAvailable.get('late')).toBe(1);
  });
});
