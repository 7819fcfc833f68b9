import pg from 'pg';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorRegistry } from '../../platform-core/src/adapters/connectors/connector-registry.js';
import { DuckDbExtractProfiler } from '../../platform-core/src/adapters/connectors/shared/duckdb-extract-profiler.js';
import { DuckDbSqlAnalyzer } from '../../platform-core/src/adapters/sql/duckdb/duckdb-sql-analyzer.js';
import {
  ingest,
  type ConnectionSettings,
  type ConnectorInput,
} from '../../platform-core/src/application/ingest/ingest.js';
import { columnsReadFrom } from '../../platform-core/src/application/ingest/expected-columns.js';
import { readExtract, signal } from './support/read-extract.js';

const retail = fileURLToPath(new URL('../../fixtures/workspaces/retail', import.meta.url));
const schema = `hekima_retail_${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'hekima-retail-ingest-'));
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ host: '127.0.0.1', database: 'test', user: 'postgres' });
  await admin.connect();
  const seed = readFileSync(join(retail, 'data/erp/inventory_levels.sql'), 'utf8').replaceAll('public.', `${schema}.`);
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; ${seed}`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
  rmSync(work, { recursive: true, force: true });
});

const yaml = (path: string) => parse(readFileSync(join(retail, path), 'utf8')) as Record<string, unknown>;
const connections = (yaml('hekima.yaml')['connections'] as ConnectionSettings[]).reduce(
  (m, c) => m.set(c.name, c),
  new Map<string, ConnectionSettings>(),
);

describe('every connector input of the retail fixture ingests', () => {
  const cases: [string, number][] = [
    ['outlets', 8],
    ['customers', 12],
    ['pos-transactions', 75],
    ['products-catalog', 17],
    ['erp-inventory', 32],
  ];
  it.each(cases)('%s: %i rows', async (product, rows) => {
    const input = (yaml(`${product}/inputs.yaml`)['inputs'] as (ConnectorInput & { connector_ref: string })[])[0]!;
    const connection = connections.get(input.connector_ref)!;
    const config = input.ingestion_config?.['table']
      ? { ...input.ingestion_config, table: `${schema}.${String(input.ingestion_config['table'])}` }
      : input.ingestion_config;
    const sql = new DuckDbSqlAnalyzer();
    await sql.ready();
    const logic = readFileSync(join(retail, product, 'logic/transform.sql'), 'utf8');
    const expectedColumns = columnsReadFrom(
      sql.analyze(logic, () => undefined),
      input.id,
    );
    const dir = mkdtempSync(join(work, product));
    const ws = mkdtempSync(join(work, `${product}-ws`));
    cpSync(join(retail, 'data'), join(ws, 'data'), { recursive: true });
    const result = await ingest(
      {
        connectors: new ConnectorRegistry({ workspaceRoot: ws }),
        profiler: new DuckDbExtractProfiler(),
        clock: { now: () => new Date('2026-03-09T00:00:00Z'), sleep: async () => undefined },
        env: { ERP_PASSWORD: 'trust-auth' },
      },
      {
        input: { ...input, ...(config ? { ingestion_config: config } : {}) },
        connection,
        state: null,
        workDir: dir,
        expectedColumns,
        signal: signal(),
      },
    );
    expect(expectedColumns.length).toBeGreaterThan(0);
    // A full_refresh of files is read in place (not counted): count what the engine would read.
    expect(result.rowCount ?? (await readExtract(result)).length).toBe(rows);
    expect(result.inPlace).toBe(input.ingestion_strategy === 'full_refresh' && connection.type === 'file');
    expect(result.fitness.filter((f) => f.severity === 'error' && !f.passed)).toEqual([]);
    expect(result.fitness.find((f) => f.type === 'schema_match')?.passed ?? true).toBe(true);
  });
});
