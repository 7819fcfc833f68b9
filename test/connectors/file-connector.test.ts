import { appendFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileConnector } from '../../platform-core/src/adapters/connectors/file/file-connector.js';
import type { ConnectorState, ExtractRequest } from '../../platform-core/src/ports/connector.js';
import { readExtract, signal } from './support/read-extract.js';

let root: string;
let work: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hekima-file-ws-'));
  work = await mkdtemp(join(tmpdir(), 'hekima-file-work-'));
  await mkdir(join(root, 'data/drops'), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

const connector = () => new FileConnector(root);
const request = (
  strategy: ExtractRequest['input']['strategy'],
  config: Record<string, unknown>,
  state: ConnectorState | null = null,
  path = 'data/',
): ExtractRequest => ({
  connection: { name: 'shop-files', type: 'file', config: { path, format: 'csv' } },
  input: { id: 'raw', strategy, config },
  state,
  workDir: work,
  signal: signal(),
});

describe('file connector', () => {
  it('full_refresh reads every matched CSV file, each run', async () => {
    await writeFile(join(root, 'data/drops/a.csv'), 'id,name\n1,alpha\n2,beta\n');
    await writeFile(join(root, 'data/drops/b.csv'), 'id,name\n3,gamma\n');
    const first = await connector().extract(request('full_refresh', { path: 'drops/*.csv' }));
    expect(first.mode).toBe('replace');
    expect(first.rowCount).toBe(3);
    expect(await readExtract(first.file, 'id')).toEqual([
      { id: '1', name: 'alpha' },
      { id: '2', name: 'beta' },
      { id: '3', name: 'gamma' },
    ]);
    const again = await connector().extract(request('full_refresh', { path: 'drops/*.csv' }, first.state));
    expect(again.rowCount).toBe(3);
  });

  it('incremental without a cursor reads only new or changed files (state = names, sizes, mtimes)', async () => {
    await writeFile(join(root, 'data/drops/a.csv'), 'id,name\n1,alpha\n');
    const first = await connector().extract(request('incremental', { path: 'drops/**/*.csv' }));
    expect(first.rowCount).toBe(1);
    expect(Object.keys(first.state['files'] as object)).toEqual(['drops/a.csv']);
    const unchanged = await connector().extract(request('incremental', { path: 'drops/**/*.csv' }, first.state));
    expect(unchanged.rowCount).toBe(0);
    expect(unchanged.columns.map((c) => c.name)).toEqual(['id', 'name']);
    await writeFile(join(root, 'data/drops/b.csv'), 'id,name\n2,beta\n3,gamma\n');
    const next = await connector().extract(request('incremental', { path: 'drops/**/*.csv' }, unchanged.state));
    expect(next.mode).toBe('append');
    expect(await readExtract(next.file, 'id')).toEqual([
      { id: '2', name: 'beta' },
      { id: '3', name: 'gamma' },
    ]);
  });

  it('incremental with cursor_field keeps a high-water mark: an appended JSON-lines file yields only new lines', async () => {
    const file = join(root, 'data/pos.jsonl');
    await writeFile(
      file,
      '{"tx":"T1","sold_at":"2026-03-02T08:00:00Z"}\n{"tx":"T2","sold_at":"2026-03-02T09:00:00Z"}\n',
    );
    const cfg = { path: 'pos.jsonl', format: 'jsonl', cursor_field: 'sold_at', primary_key: 'tx' };
    const first = await connector().extract(request('incremental', cfg));
    expect(first.rowCount).toBe(2);
    expect(first.mode).toBe('upsert');
    expect(first.primaryKey).toEqual(['tx']);
    await appendFile(file, '{"tx":"T3","sold_at":"2026-03-02T10:00:00Z"}\n');
    const next = await connector().extract(request('incremental', cfg, first.state));
    const rows = await readExtract(next.file);
    expect(rows.map((r) => r['tx'])).toEqual(['T3']);
    expect(String(next.state['cursor'])).toMatch(/^2026-03-02 10:00:00/);
  });

  it('reads Parquet files', async () => {
    await writeFile(join(root, 'data/a.csv'), 'id,amount\n1,2.5\n');
    const csv = await connector().extract(request('full_refresh', { path: 'a.csv' }));
    const parquetWs = join(root, 'data/copy.parquet');
    await (await import('node:fs/promises')).copyFile(csv.file, parquetWs);
    const out = await connector().extract(request('full_refresh', { path: '*.parquet' }));
    expect(await readExtract(out.file)).toEqual([{ id: '1', amount: 2.5 }]);
  });

  it('refuses paths that leave the workspace', async () => {
    await expect(connector().extract(request('full_refresh', { path: 'x.csv' }, null, '../'))).rejects.toMatchObject({
      kind: 'Forbidden',
      code: 'path_outside_workspace',
    });
    await expect(connector().extract(request('full_refresh', { path: '../../etc/passwd' }))).rejects.toMatchObject({
      code: 'path_outside_workspace',
    });
    await symlink(tmpdir(), join(root, 'data/out'));
    await expect(
      connector().extract(request('full_refresh', { path: 'x.csv' }, null, 'data/out')),
    ).rejects.toMatchObject({
      code: 'path_outside_workspace',
    });
  });

  it('no matching file is a retryable error naming the path', async () => {
    await expect(connector().extract(request('full_refresh', { path: 'missing-*.csv' }))).rejects.toMatchObject({
      kind: 'Transient',
      code: 'no_files_matched',
      retryable: true,
    });
  });
});
