import pg from 'pg';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorRegistry } from '../../platform-core/src/adapters/connectors/connector-registry.js';
import { DuckDbExtractProfiler } from '../../platform-core/src/adapters/connectors/shared/duckdb-extract-profiler.js';
import {
  ingest,
  type ConnectionSettings,
  type ConnectorInput,
  type IngestDeps,
} from '../../platform-core/src/application/ingest/ingest.js';
import type { ConnectorState } from '../../platform-core/src/ports/connector.js';
import type { Logger } from '../../platform-core/src/ports/logger.js';
import { readExtract, signal } from './support/read-extract.js';

let root: string;
let work: string;
const NOW = new Date('2026-03-02T12:00:00Z');
const warnings: unknown[] = [];
const records: unknown[] = [];
const logger: Logger = {
  debug: (message, meta) => void records.push({ message, ...meta }),
  info: (message, meta) => void records.push({ message, ...meta }),
  warn: (message, meta) => void warnings.push({ message, ...meta }),
  error: () => undefined,
  child: () => logger,
};
const deps = (): IngestDeps => ({
  connectors: new ConnectorRegistry({ workspaceRoot: root }),
  profiler: new DuckDbExtractProfiler(),
  clock: { now: () => NOW, sleep: async () => undefined },
  env: { ERP_PASSWORD: 'S3CRET-ERP-PW' },
  logger,
});
const files: ConnectionSettings = { name: 'shop-files', type: 'file', config: { path: 'data/', format: 'csv' } };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hekima-ingest-ws-'));
  work = await mkdtemp(join(tmpdir(), 'hekima-ingest-work-'));
  await mkdir(join(root, 'data'));
  await writeFile(
    join(root, 'data/pos.jsonl'),
    '{"tx":"T1","outlet_id":"A","sold_at":"2026-03-02T08:00:00Z"}\n{"tx":"T2","outlet_id":"B","sold_at":"2026-03-02T09:00:00Z"}\n',
  );
  warnings.length = 0;
  return async () => {
    await rm(root, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  };
});

const pos = (fitness: ConnectorInput['fitness'] = []): ConnectorInput => ({
  id: 'raw-pos',
  ingestion_strategy: 'incremental',
  ingestion_config: { path: 'pos.jsonl', format: 'jsonl', cursor_field: 'sold_at', primary_key: 'tx' },
  fitness,
});
const run = (input: ConnectorInput, state: ConnectorState | null, connection = files, expectedColumns?: string[]) =>
  ingest(deps(), {
    input,
    connection,
    state,
    workDir: work,
    signal: signal(),
    ...(expectedColumns ? { expectedColumns } : {}),
  });

describe('ingest: the state is committed with the snapshot', () => {
  it('a failure between extract and commit loses nothing and duplicates nothing', async () => {
    // The caller's committed store: the snapshot rows and the connector state, changed together.
    const committed = { rows: [] as string[], state: null as ConnectorState | null };
    const commit = async (result: Awaited<ReturnType<typeof run>>, crash: boolean) => {
      const rows = (await readExtract(result, 'sold_at')).map((r) => String(r['tx']));
      if (crash) throw new Error('crash before commit');
      committed.rows.push(...rows);
      committed.state = result.state;
    };
    const first = await run(pos(), committed.state);
    await expect(commit(first, true)).rejects.toThrow('crash');
    const retry = await run(pos(), committed.state);
    expect((await readExtract(retry, 'sold_at')).map((r) => r['tx'])).toEqual(['T1', 'T2']);
    await commit(retry, false);
    await appendFile(join(root, 'data/pos.jsonl'), '{"tx":"T3","outlet_id":"C","sold_at":"2026-03-02T10:00:00Z"}\n');
    const second = await run(pos(), committed.state);
    await expect(commit(second, true)).rejects.toThrow('crash');
    const again = await run(pos(), committed.state);
    await commit(again, false);
    const idle = await run(pos(), committed.state);
    await commit(idle, false);
    expect(committed.rows).toEqual(['T1', 'T2', 'T3']);
  });
});

describe('ingest: fitness checks', () => {
  it('all four checks pass and report measured values', async () => {
    const result = await run(
      pos([
        { type: 'row_count_min', threshold: 2 },
        { type: 'null_ratio_max', column: 'outlet_id', threshold: 0 },
        { type: 'freshness', column: 'sold_at', max_age: '1d' },
        { type: 'schema_match' },
      ]),
      null,
      files,
      ['tx', 'outlet_id'],
    );
    expect(result.rowCount).toBe(2);
    expect(result.fitness.map((f) => [f.type, f.passed, f.measured])).toEqual([
      ['row_count_min', true, 2],
      ['null_ratio_max', true, 0],
      ['freshness', true, 3 * 3600],
      ['schema_match', true, null],
    ]);
  });

  it('an error check blocks the ingestion, naming the check and the measured value', async () => {
    const error = await run(pos([{ type: 'row_count_min', threshold: 5 }]), null).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'QualityGateFailed',
      code: 'fitness_failed',
      details: { input: 'raw-pos', checks: [{ type: 'row_count_min', measured: 2, threshold: 5 }] },
    });
    expect((error as Error).message).toContain('row_count_min: 2 rows (minimum 5)');
  });

  it('schema_match fails on a column the logic reads that the extract lacks; warn records and continues', async () => {
    await expect(run(pos([{ type: 'schema_match' }]), null, files, ['tx', 'customer_id'])).rejects.toMatchObject({
      code: 'fitness_failed',
      message: expect.stringContaining('missing "customer_id"'),
    });
    const result = await run(
      pos([
        { type: 'schema_match', severity: 'warn' },
        { type: 'freshness', column: 'sold_at', max_age: '1h', severity: 'warn' },
      ]),
      null,
      files,
      ['customer_id'],
    );
    expect(result.fitness.map((f) => f.passed)).toEqual([false, false]);
    expect(result.state['cursor']).toBeDefined();
    expect(warnings).toHaveLength(2);
  });

  it('schema_match compares with the previous run: a column that disappears fails', async () => {
    const first = await run(pos(), null);
    await writeFile(join(root, 'data/pos.jsonl'), '{"tx":"T9","sold_at":"2026-03-02T11:00:00Z"}\n');
    await expect(run(pos([{ type: 'schema_match' }]), first.state)).rejects.toMatchObject({
      message: expect.stringContaining('"outlet_id" disappeared'),
    });
  });
});

describe('ingest: what cannot run', () => {
  it.each([
    ['s3', 'file_watch'],
    ['sftp', 'full_refresh'],
    ['mysql', 'incremental'],
    ['oracle', 'snapshot_diff'],
    ['kafka', 'stream'],
    ['redpanda', 'event'],
    ['postgres', 'cdc'],
  ] as const)('%s/%s is Permanent connector_not_supported', async (type, strategy) => {
    await expect(
      run({ id: 'x', ingestion_strategy: strategy, ingestion_config: {} }, null, { name: 'c', type, config: {} }),
    ).rejects.toMatchObject({
      kind: 'Permanent',
      code: 'connector_not_supported',
      retryable: false,
      message: `The runtime cannot run ${type}/${strategy} yet.`,
    });
  });

  it('a strategy the type does not support is InvalidArgument', async () => {
    await expect(
      run({ id: 'x', ingestion_strategy: 'api_poll', ingestion_config: {} }, null, files),
    ).rejects.toMatchObject({ code: 'strategy_not_supported' });
  });
});

describe('ingest: the default read when ingestion_config names none', () => {
  it("a file input without a path reads every file under the connection's path", async () => {
    const result = await run({ id: 'raw-pos', ingestion_strategy: 'full_refresh', ingestion_config: {} }, null, {
      ...files,
      config: { path: 'data/', format: 'jsonl' },
    });
    expect((await readExtract(result)).map((r) => r['tx'])).toEqual(['T1', 'T2']);
  });
});

describe('ingest: postgres state contract (real PostgreSQL)', () => {
  const schema = `hekima_ingest_${process.pid}`;
  /** A table in the default schema named as an input id is (kebab-case). */
  const byId = `raw-orders-${process.pid}`;
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ host: '127.0.0.1', database: 'test', user: 'postgres' });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP TABLE IF EXISTS public."${byId}"; CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.orders (id int PRIMARY KEY, amount int, updated_at timestamptz);
      INSERT INTO ${schema}.orders VALUES (1, 10, '2026-03-01T00:00:00Z'), (2, 20, '2026-03-01T01:00:00Z');
      CREATE TABLE public."${byId}" (id int PRIMARY KEY, updated_at timestamptz);
      INSERT INTO public."${byId}" VALUES (7, '2026-03-01T00:00:00Z')`);
  });
  const erp: ConnectionSettings = {
    name: 'erp',
    type: 'postgres',
    config: { host: '127.0.0.1', port: 5432, database: 'test', username: 'postgres', password: 'env:ERP_PASSWORD' },
  };

  it('an input that names no table reads the table named by its id (the format example: cursor_field and primary_key only)', async () => {
    const input: ConnectorInput = {
      id: byId,
      ingestion_strategy: 'incremental',
      ingestion_config: { cursor_field: 'updated_at', primary_key: 'id' },
    };
    const result = await run(input, null, erp);
    expect(await readExtract(result)).toEqual([{ id: 7, updated_at: '2026-03-01 00:00:00+00' }]);
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP TABLE IF EXISTS public."${byId}"`);
    await admin.end();
  });

  it('re-running with the old state after a failed commit extracts the same rows again', async () => {
    const input: ConnectorInput = {
      id: 'orders',
      ingestion_strategy: 'incremental',
      ingestion_config: { table: `${schema}.orders`, cursor_field: 'updated_at', primary_key: 'id' },
      fitness: [{ type: 'row_count_min', threshold: 1 }],
    };
    const first = await run(input, null, erp);
    await admin.query(`UPDATE ${schema}.orders SET amount = 11, updated_at = '2026-03-02T00:00:00Z' WHERE id = 1`);
    const second = await run(input, first.state, erp); // …and the commit of `second` fails
    const retried = await run(input, first.state, erp);
    expect(await readExtract(retried)).toEqual(await readExtract(second));
    expect(await readExtract(retried)).toEqual([{ id: 1, amount: 11, updated_at: '2026-03-02 00:00:00+00' }]);
    expect(retried.state).toEqual(second.state);
    // The secret never reaches a log record, a state or an error.
    expect(records.length).toBeGreaterThan(0);
    const down = { ...erp, config: { ...erp.config, port: 1 } };
    const error = await run(input, null, down).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'Transient' });
    expect(JSON.stringify([records, warnings, retried.state, error])).not.toContain('S3CRET');
  });
});
