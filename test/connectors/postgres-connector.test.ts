import pg from 'pg';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresConnector } from '../../platform-core/src/adapters/connectors/postgres/postgres-connector.js';
import { DuckDbExtractMerger } from '../../platform-core/src/adapters/connectors/shared/duckdb-extract-merger.js';
import { SecretValue } from '../../platform-core/src/domain/secret-value.js';
import { extractFile, type ConnectorState, type ExtractRequest } from '../../platform-core/src/ports/connector.js';
import { readExtract, signal } from './support/read-extract.js';

const SCHEMA = `hekima_conn_${process.pid}`;
const settings = {
  host: '127.0.0.1',
  port: 5432,
  database: 'test',
  username: 'postgres',
  password: SecretValue.of('unused'),
};
let admin: pg.Client;
let work: string;

beforeAll(async () => {
  admin = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.end();
});
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'hekima-pg-work-'));
  await admin.query(`DROP TABLE IF EXISTS ${SCHEMA}.stock;
    CREATE TABLE ${SCHEMA}.stock (outlet_id text, sku text, qty integer, price numeric(10,2), updated_at timestamp,
      PRIMARY KEY (outlet_id, sku));
    INSERT INTO ${SCHEMA}.stock VALUES
      ('A', 'S1', 10, 1.50, '2026-03-01 10:00:00'),
      ('A', 'S2', 5, 2.00, '2026-03-01 11:00:00'),
      ('B', 'S1', 7, 1.50, '2026-03-01 12:00:00')`);
  return () => rm(work, { recursive: true, force: true });
});

const connector = new PostgresConnector();
const request = (
  strategy: ExtractRequest['input']['strategy'],
  config: Record<string, unknown>,
  state: ConnectorState | null = null,
): ExtractRequest => ({
  connection: { name: 'erp', type: 'postgres', config: settings },
  input: { id: 'erp-stock', strategy, config },
  state,
  workDir: work,
  signal: signal(),
});

describe('postgres connector (real PostgreSQL)', () => {
  it('incremental: rows above the high-water mark, in cursor order, then only changed rows', async () => {
    const cfg = { table: `${SCHEMA}.stock`, cursor_field: 'updated_at', primary_key: ['outlet_id', 'sku'] };
    const first = await connector.extract(request('incremental', cfg));
    expect(first.mode).toBe('upsert');
    expect(first.primaryKey).toEqual(['outlet_id', 'sku']);
    expect(first.state['cursor']).toBe('2026-03-01 12:00:00');
    expect(first.columns).toEqual([
      { name: 'outlet_id', type: 'VARCHAR' },
      { name: 'sku', type: 'VARCHAR' },
      { name: 'qty', type: 'INTEGER' },
      { name: 'price', type: 'DECIMAL(10,2)' },
      { name: 'updated_at', type: 'TIMESTAMP' },
    ]);
    expect(await readExtract(first, 'updated_at')).toEqual([
      { outlet_id: 'A', sku: 'S1', qty: 10, price: '1.50', updated_at: '2026-03-01 10:00:00' },
      { outlet_id: 'A', sku: 'S2', qty: 5, price: '2.00', updated_at: '2026-03-01 11:00:00' },
      { outlet_id: 'B', sku: 'S1', qty: 7, price: '1.50', updated_at: '2026-03-01 12:00:00' },
    ]);
    const none = await connector.extract(request('incremental', cfg, first.state));
    expect(none.rowCount).toBe(0);
    expect(none.state['cursor']).toBe('2026-03-01 12:00:00');
    await admin.query(`UPDATE ${SCHEMA}.stock SET qty = 0, updated_at = '2026-03-02 08:00:00' WHERE outlet_id = 'A' AND sku = 'S2';
      INSERT INTO ${SCHEMA}.stock VALUES ('C', 'S9', 1, 9.99, '2026-03-02 09:00:00')`);
    const next = await connector.extract(request('incremental', cfg, none.state));
    expect(await readExtract(next, 'updated_at')).toEqual([
      { outlet_id: 'A', sku: 'S2', qty: 0, price: '2.00', updated_at: '2026-03-02 08:00:00' },
      { outlet_id: 'C', sku: 'S9', qty: 1, price: '9.99', updated_at: '2026-03-02 09:00:00' },
    ]);
    expect(next.state['cursor']).toBe('2026-03-02 09:00:00');
  });

  it('full_refresh: every row each run, with a snapshot hash that changes with the data', async () => {
    const cfg = { table: `${SCHEMA}.stock`, primary_key: ['outlet_id', 'sku'] };
    const first = await connector.extract(request('full_refresh', cfg));
    expect(first.mode).toBe('replace');
    expect(first.rowCount).toBe(3);
    const same = await connector.extract(request('full_refresh', cfg, first.state));
    expect(same.state['snapshot_hash']).toBe(first.state['snapshot_hash']);
    await admin.query(`DELETE FROM ${SCHEMA}.stock WHERE outlet_id = 'B'`);
    const after = await connector.extract(request('full_refresh', cfg, same.state));
    expect((await readExtract(after)).map((r) => `${r['outlet_id']}/${r['sku']}`)).toEqual(['A/S1', 'A/S2']);
    expect(after.state['snapshot_hash']).not.toBe(first.state['snapshot_hash']);
  });

  it('snapshot_diff: inserted, updated and deleted rows against the previous hashes', async () => {
    const cfg = { table: `${SCHEMA}.stock`, primary_key: ['outlet_id', 'sku'] };
    const first = await connector.extract(request('snapshot_diff', cfg));
    expect(first.mode).toBe('diff');
    expect((await readExtract(first)).map((r) => r['__hekima_op'])).toEqual(['insert', 'insert', 'insert']);
    await admin.query(`UPDATE ${SCHEMA}.stock SET qty = 99 WHERE outlet_id = 'A' AND sku = 'S1';
      DELETE FROM ${SCHEMA}.stock WHERE outlet_id = 'B';
      INSERT INTO ${SCHEMA}.stock VALUES ('D', 'S4', 4, 4.00, '2026-03-03 00:00:00')`);
    const next = await connector.extract(request('snapshot_diff', cfg, first.state));
    expect(await readExtract(next, 'outlet_id, sku')).toEqual([
      { outlet_id: 'A', sku: 'S1', qty: 99, price: '1.50', updated_at: '2026-03-01 10:00:00', __hekima_op: 'update' },
      { outlet_id: 'B', sku: 'S1', qty: null, price: null, updated_at: null, __hekima_op: 'delete' },
      { outlet_id: 'D', sku: 'S4', qty: 4, price: '4.00', updated_at: '2026-03-03 00:00:00', __hekima_op: 'insert' },
    ]);
    const quiet = await connector.extract(request('snapshot_diff', cfg, next.state));
    expect(quiet.rowCount).toBe(0);
  });

  it('query instead of table', async () => {
    const cfg = { query: `SELECT sku, sum(qty)::int AS total FROM ${SCHEMA}.stock GROUP BY sku;`, primary_key: 'sku' };
    const out = await connector.extract(request('full_refresh', cfg));
    expect(await readExtract(out, 'sku')).toEqual([
      { sku: 'S1', total: 17 },
      { sku: 'S2', total: 5 },
    ]);
  });

  it('typed errors: unknown table, missing cursor column, unreachable server, bad table name', async () => {
    await expect(connector.extract(request('full_refresh', { table: `${SCHEMA}.nope` }))).rejects.toMatchObject({
      kind: 'Permanent',
      code: 'source_query_failed',
    });
    await expect(
      connector.extract(request('incremental', { table: `${SCHEMA}.stock`, cursor_field: 'changed' })),
    ).rejects.toMatchObject({ code: 'source_query_failed' });
    await expect(connector.extract(request('full_refresh', { table: 'x; DROP TABLE y' }))).rejects.toMatchObject({
      code: 'invalid_table',
    });
    const down = { ...settings, port: 1 };
    await expect(connector.check({ name: 'erp', type: 'postgres', config: down }, signal())).rejects.toMatchObject({
      kind: 'Transient',
      code: 'source_unavailable',
      retryable: true,
    });
    await connector.check({ name: 'erp', type: 'postgres', config: settings }, signal());
  });

  it.each(['incremental', 'snapshot_diff'] as const)(
    '%s extracts merged into the previous snapshot equal the table after every change',
    async (strategy) => {
      const cfg = { table: `${SCHEMA}.stock`, cursor_field: 'updated_at', primary_key: ['outlet_id', 'sku'] };
      const merger = new DuckDbExtractMerger();
      let state: ConnectorState | null = null;
      let snapshot: string | null = null;
      const changes = [
        '',
        `UPDATE ${SCHEMA}.stock SET qty = 1, updated_at = '2026-03-05 00:00:00' WHERE sku = 'S1' AND outlet_id = 'A'`,
        `INSERT INTO ${SCHEMA}.stock VALUES ('E', 'S5', 5, 5.00, '2026-03-06 00:00:00')`,
      ];
      for (const [i, change] of changes.entries()) {
        if (change) await admin.query(change);
        const extract = await connector.extract(request(strategy, cfg, state));
        const out = join(work, `snapshot-${i}.parquet`);
        await merger.merge({
          previous: snapshot,
          extract: { ...extract, file: extractFile(extract) },
          out,
          signal: signal(),
        });
        snapshot = out;
        state = extract.state;
        const table = await admin.query(`SELECT outlet_id, sku, qty FROM ${SCHEMA}.stock ORDER BY outlet_id, sku`);
        const merged = (await readExtract(out, 'outlet_id, sku')).map((r) => ({
          outlet_id: r['outlet_id'],
          sku: r['sku'],
          qty: r['qty'],
        }));
        expect(merged).toEqual(table.rows);
      }
      if (strategy === 'snapshot_diff') {
        await admin.query(`DELETE FROM ${SCHEMA}.stock WHERE outlet_id = 'A'`);
        const extract = await connector.extract(request(strategy, cfg, state));
        const out = join(work, 'snapshot-del.parquet');
        await merger.merge({
          previous: snapshot,
          extract: { ...extract, file: extractFile(extract) },
          out,
          signal: signal(),
        });
        expect((await readExtract(out, 'outlet_id, sku')).map((r) => `${r['outlet_id']}/${r['sku']}`)).toEqual([
          'B/S1',
          'E/S5',
        ]);
      }
    },
  );
});
