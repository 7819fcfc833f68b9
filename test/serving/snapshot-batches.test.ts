import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbCheckEngine } from '../../platform-core/src/adapters/duckdb/duckdb-check-engine.js';
import {
  SNAPSHOT_BATCH_ROWS,
  snapshotBatches,
  snapshotRows,
} from '../../platform-core/src/application/serving/snapshot-rows.js';
import type { CheckEngine, CheckJsonRow } from '../../platform-core/src/ports/check-engine.js';
import type { ServedRow } from '../../platform-core/src/ports/serving-store.js';
import { writeParquet } from '../quality/support/parquet.js';

const duck = new DuckDbCheckEngine();
const ROWS = 12_001;

/** Every type serving meets, NULLs included: the streamed JSON must be exactly the materialised one. */
const TYPED = `SELECT i::INTEGER AS id, i::BIGINT * 1000000000000 AS big,
  (i / 100)::DECIMAL(18,2) AS amount, i / 3 AS ratio, DATE '2026-01-01' + i AS day,
  TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL 1 SECOND AS at,
  TIMESTAMPTZ '2026-01-01 00:00:00+00' + i * INTERVAL 1 MINUTE AS at_tz,
  i % 2 = 0 AS even, CASE WHEN i % 7 = 0 THEN NULL ELSE 'name-' || i END AS name,
  [i, i + 1] AS pair, {'k': 'v' || i} AS tagged
  FROM (SELECT range::INTEGER AS i FROM range(${ROWS}))`;

/** The real engine, counting the sessions it opens and closes. */
function counting(): CheckEngine & { opened: number; closed: number } {
  const engine = {
    opened: 0,
    closed: 0,
    async open(...args: Parameters<CheckEngine['open']>) {
      const session = await duck.open(...args);
      engine.opened++;
      return {
        query: session.query.bind(session),
        stream: session.stream.bind(session),
        close: () => {
          engine.closed++;
          session.close();
        },
      };
    },
  };
  return engine;
}

async function collect(batches: AsyncIterable<readonly ServedRow[]>): Promise<ServedRow[][]> {
  const out: ServedRow[][] = [];
  for await (const batch of batches) out.push([...batch]);
  return out;
}

describe('streaming a snapshot in batches (DuckDB)', () => {
  let dir: string;
  let path: string;
  let other: string;
  let materialised: readonly CheckJsonRow[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-batches-'));
    path = await writeParquet(join(dir, 'snapshot.parquet'), TYPED);
    other = await writeParquet(join(dir, 'other.parquet'), `SELECT 'secret' AS s`);
    const session = await duck.open([{ name: 'snapshot', path }]);
    try {
      materialised = (await session.query('SELECT * FROM "snapshot"')).json;
    } finally {
      session.close();
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('yields batches of exactly the batch size, in the JSON form of a materialised query', async () => {
    const batches = await collect(snapshotBatches(duck, path, 1000).batches());
    expect(batches.map((b) => b.length)).toEqual([...Array<number>(12).fill(1000), 1]);
    expect(batches.flat()).toEqual(materialised);
    // The form the stores rely on, spelled out at a batch boundary.
    expect(batches[1]?.[0]).toEqual({
      id: 1000,
      big: '1000000000000000',
      amount: '10.00',
      ratio: 333.3333333333333,
      day: '2028-09-27',
      at: '2026-01-01 00:16:40',
      at_tz: '2026-01-01 16:40:00+00',
      even: true,
      name: 'name-1000',
      pair: [1000, 1001],
      tagged: { k: 'v1000' },
    });
    expect(batches[0]?.[999]).toMatchObject({ id: 999, name: 'name-999', amount: '9.99' });
    expect(batches[1]?.[1]).toMatchObject({ id: 1001, name: null });
    expect(batches[12]).toEqual([expect.objectContaining({ id: 12_000, amount: '120.00' })]);
  });

  it('uses 5,000-row batches by default; each read opens its own session and closes it', async () => {
    const engine = counting();
    const source = snapshotBatches(engine, path);
    expect(engine.opened).toBe(0); // nothing is read until a store iterates
    const first = await collect(source.batches());
    const second = await collect(source.batches());
    expect(SNAPSHOT_BATCH_ROWS).toBe(5000);
    expect(first.map((b) => b.length)).toEqual([5000, 5000, 2001]);
    expect(second.flat()).toEqual(first.flat());
    expect(engine).toMatchObject({ opened: 2, closed: 2 });
    expect(await snapshotRows(engine, path)).toEqual(materialised);
  });

  it('breaking out of the loop, or aborting, ends the read and closes the session', async () => {
    const engine = counting();
    for await (const batch of snapshotBatches(engine, path, 100).batches()) {
      expect(batch).toHaveLength(100);
      break;
    }
    expect(engine).toMatchObject({ opened: 1, closed: 1 });

    const stop = new AbortController();
    const seen: number[] = [];
    const read = async () => {
      for await (const batch of snapshotBatches(engine, path, 100).batches(stop.signal)) {
        seen.push(batch.length);
        if (seen.length === 3) stop.abort();
      }
    };
    await expect(read()).rejects.toMatchObject({ kind: 'Cancelled', code: 'aborted' });
    expect(seen).toEqual([100, 100, 100]);
    expect(engine).toMatchObject({ opened: 2, closed: 2 });
  });

  it('keeps the sandbox: a streamed statement cannot read another file; a bad batch size is refused', async () => {
    const session = await duck.open([{ name: 'snapshot', path }]);
    try {
      await expect(
        collect(session.stream(`SELECT * FROM read_parquet('${other.replace(/'/g, "''")}')`, 10)),
      ).rejects.toThrow(/Permission Error|not allowed|disabled/i);
      await expect(collect(session.stream('SELECT * FROM "snapshot"', 0))).rejects.toMatchObject({
        code: 'invalid_batch_rows',
      });
      await expect(collect(session.stream(`SET enable_external_access = true`, 10))).rejects.toThrow(
        /lock|configuration/i,
      );
    } finally {
      session.close();
    }
  });
});
