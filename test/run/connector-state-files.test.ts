import { appendFile, cp, mkdir, readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { currentRows, RETAIL } from './run-support.js';
import { edit, posLine, runProduct, stateOf } from './connector-state-support.js';

/**
 * Connector state committed with the snapshot (docs/adr/0014), end to end through `hekima run` on
 * a copy of the retail workspace (embedded: PGlite + a local lake). pos-transactions reads
 * `pos/*.jsonl` incrementally (new files, upsert by primary key); outlets is a full_refresh CSV.
 */
describe('connector state with the snapshot: files (embedded)', () => {
  let dir: string;
  let platform: Platform;
  const POS = 'pos-transactions';
  const DAY1_MTIME = 1_772_000_000; // whole seconds: restored exactly below
  const INPUT = 'raw-pos-transactions';
  const rowsOf = async (product: string) => (await currentRows(platform, product)).rows;
  const keysOf = (rows: readonly Record<string, unknown>[]) =>
    rows.map((r) => `${String(r['transaction_id'])}/${String(r['line_number'])}`).sort();
  const lakePath = (location: string) => join(platform.lake().root, ...location.split('/'));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-state-files-'));
    await cp(RETAIL, dir, { recursive: true, filter: (src) => !src.includes('.hekima') });
    await mkdir(join(dir, 'data/pos'));
    await rename(join(dir, 'data/pos-transactions.jsonl'), join(dir, 'data/pos/day-1.jsonl'));
    await utimes(join(dir, 'data/pos/day-1.jsonl'), DAY1_MTIME, DAY1_MTIME);
    await edit(dir, 'pos-transactions/inputs.yaml', 'path: pos-transactions.jsonl', 'path: pos/*.jsonl');
    await edit(dir, 'pos-transactions/inputs.yaml', '      cursor_field: sold_at\n', '');
    platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
  }, 60_000);
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('incremental over new files: reads only the new file, upserts it into the kept data, commits the state', async () => {
    const first = await runProduct(platform, dir, POS);
    expect(first.report).toMatchObject({ status: 'succeeded', rows: 74 });
    const s1 = (await stateOf(platform, POS, INPUT))!;
    expect(s1.snapshotId).toBe(first.report.snapshotId);
    expect(Object.keys(s1.state['files'] as object)).toEqual(['pos/day-1.jsonl']);
    expect(s1.dataLocation).toMatch(
      /^tenant-[0-9a-f-]{36}\/pos-transactions\/2\.1\.0\/inputs\/raw-pos-transactions\/[0-9a-f-]{36}\.parquet$/,
    );
    expect((await stat(lakePath(s1.dataLocation!))).isFile()).toBe(true);

    // A new file: two new lines and a corrected line of an existing receipt (same primary key).
    await writeFile(
      join(dir, 'data/pos/day-2.jsonl'),
      posLine('TX-900001', 1, 1, '2026-03-09T08:00:00Z') +
        posLine('TX-900001', 2, 2, '2026-03-09T08:00:00Z') +
        posLine('TX-000101', 1, 7, '2026-03-09T09:00:00Z'),
    );
    const second = await runProduct(platform, dir, POS);
    expect(second.report, second.report.reason).toMatchObject({ status: 'succeeded', rows: 76 });
    const rows = await rowsOf(POS);
    const keys = keysOf(rows);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('TX-900001/2');
    const corrected = rows.filter((r) => r['transaction_id'] === 'TX-000101' && String(r['line_number']) === '1');
    expect(corrected.map((r) => Number(r['quantity']))).toEqual([7]);
    const s2 = (await stateOf(platform, POS, INPUT))!;
    expect(Object.keys(s2.state['files'] as object)).toEqual(['pos/day-1.jsonl', 'pos/day-2.jsonl']);
    expect(s2.snapshotId).toBe(second.report.snapshotId);
    expect(s2.dataLocation).not.toBe(s1.dataLocation);

    // Proof that day-1 is not read again: its content changes but keeps its size and mtime
    // (its signature), so the product keeps the rows read the first time.
    const day1 = join(dir, 'data/pos/day-1.jsonl');
    const text = await readFile(day1, 'utf8');
    await writeFile(day1, text.replaceAll('"cash"', '"card"'));
    expect((await stat(day1)).size).toBe(Buffer.byteLength(text));
    await utimes(day1, DAY1_MTIME, DAY1_MTIME);
    const third = await runProduct(platform, dir, POS);
    expect(third.report).toMatchObject({ status: 'succeeded', rows: 76 });
    expect(await rowsOf(POS)).toEqual(rows);
    const s3 = (await stateOf(platform, POS, INPUT))!;
    expect(s3.dataLocation).toBe(s2.dataLocation); // nothing new: the same data file
    // The data file of the first run was superseded: pruned at the next ingestion.
    await expect(stat(lakePath(s1.dataLocation!))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 120_000);

  it('a run whose gate fails commits no state: the retry reads the same new file, nothing lost, nothing twice', async () => {
    const before = (await stateOf(platform, POS, INPUT))!;
    const served = await currentRows(platform, POS);
    await writeFile(
      join(dir, 'data/pos/day-3.jsonl'),
      posLine('TX-900002', 1, 3, '2026-03-10T08:00:00Z') + posLine('TX-900003', 1, 4, '2026-03-10T09:00:00Z'),
    );
    // The gate blocks this run (the volume check now wants 1,000 rows).
    await edit(dir, 'pos-transactions/quality.yaml', 'config: { min_rows: 1 }', 'config: { min_rows: 1000 }');
    await edit(dir, 'pos-transactions/product.yaml', 'version: 2.1.0', 'version: 2.1.1');
    const failed = await runProduct(platform, dir, POS);
    expect(failed.code).toBe(1);
    expect(failed.report).toMatchObject({ status: 'failed', errorCode: 'quality_gate_failed' });
    expect(await stateOf(platform, POS, INPUT)).toEqual(before);
    expect((await currentRows(platform, POS)).snapshotId).toBe(served.snapshotId);

    await edit(dir, 'pos-transactions/quality.yaml', 'config: { min_rows: 1000 }', 'config: { min_rows: 1 }');
    await edit(dir, 'pos-transactions/product.yaml', 'version: 2.1.1', 'version: 2.1.2');
    const retry = await runProduct(platform, dir, POS);
    expect(retry.report).toMatchObject({ status: 'succeeded', rows: 78 });
    const keys = keysOf(await rowsOf(POS));
    expect(keys).toEqual([...keysOf(served.rows), 'TX-900002/1', 'TX-900003/1'].sort());
    const after = (await stateOf(platform, POS, INPUT))!;
    expect(Object.keys(after.state['files'] as object)).toContain('pos/day-3.jsonl');
    expect(after.dataLocation).toMatch(/\/pos-transactions\/2\.1\.2\/inputs\//);
  }, 120_000);

  it('a crash between the snapshot write and its commit leaves the state: the retry reads the new file once', async () => {
    const before = (await stateOf(platform, POS, INPUT))!;
    const served = await currentRows(platform, POS);
    await writeFile(join(dir, 'data/pos/day-4.jsonl'), posLine('TX-900004', 1, 1, '2026-03-11T08:00:00Z'));
    const crashed = await runProduct(platform, dir, POS, {}, async (product) => {
      if (product === POS) throw new Error('injected crash');
    });
    expect(crashed.report).toMatchObject({ status: 'failed', reason: expect.stringContaining('injected crash') });
    expect(await stateOf(platform, POS, INPUT)).toEqual(before);
    expect((await currentRows(platform, POS)).snapshotId).toBe(served.snapshotId);
    const retry = await runProduct(platform, dir, POS);
    expect(retry.report).toMatchObject({ status: 'succeeded', rows: served.rows.length + 1 });
    expect(keysOf(await rowsOf(POS))).toEqual([...keysOf(served.rows), 'TX-900004/1'].sort());
  }, 120_000);

  it('full_refresh reads the CSV in place; a file changed before the commit fails retryably and commits nothing', async () => {
    const first = await runProduct(platform, dir, 'outlets');
    expect(first.report).toMatchObject({ status: 'succeeded', rows: 8 });
    const state = (await stateOf(platform, 'outlets', 'raw-outlets'))!;
    expect(state.dataLocation).toBeUndefined(); // nothing kept: every run reads the whole file
    expect(Object.keys(state.state['files'] as object)).toEqual(['outlets.csv']);

    const changed = await runProduct(platform, dir, 'outlets', {}, async (product) => {
      if (product === 'outlets')
        await appendFile(
          join(dir, 'data/outlets.csv'),
          'NBO-009,Kilimani Express,Nairobi,Central,express,2026-01-10,400,true\n',
        );
    });
    expect(changed.code).toBe(1);
    expect(changed.report).toMatchObject({ status: 'failed', errorCode: 'source_changed' });
    expect(changed.report.reason).toMatch(/outlets\.csv" changed while the run read it/);
    expect((await currentRows(platform, 'outlets')).snapshotId).toBe(first.report.snapshotId);
    expect(await stateOf(platform, 'outlets', 'raw-outlets')).toEqual(state);

    const retry = await runProduct(platform, dir, 'outlets');
    expect(retry.report).toMatchObject({ status: 'succeeded', rows: 9 });
    expect((await rowsOf('outlets')).map((r) => r['outlet_id'])).toContain('NBO-009');

    // The input turns incremental: the full_refresh state (every file already "seen") is not
    // reused, so the first incremental run reads everything and keeps it.
    await edit(dir, 'outlets/inputs.yaml', 'ingestion_strategy: full_refresh', 'ingestion_strategy: incremental');
    await edit(dir, 'outlets/product.yaml', /version: 1\.1\.0/, 'version: 1.1.1');
    const switched = await runProduct(platform, dir, 'outlets');
    expect(switched.report, switched.report.reason).toMatchObject({ status: 'succeeded', rows: 9 });
    const incremental = (await stateOf(platform, 'outlets', 'raw-outlets'))!;
    expect(incremental.state['strategy']).toBe('incremental');
    expect(incremental.dataLocation).toMatch(/\/outlets\/1\.1\.1\/inputs\/raw-outlets\//);
  }, 120_000);
});
