import { appendFile, mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileConnector } from '../../platform-core/src/adapters/connectors/file/file-connector.js';
import { extractFile, type ConnectorState, type ExtractRequest } from '../../platform-core/src/ports/connector.js';
import { readExtract, signal } from './support/read-extract.js';

let root: string;
let real: string;
let work: string;
const realRoot = () => real;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hekima-file-ws-'));
  real = await realpath(root);
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
  it('full_refresh of one CSV hands the engine its sniff (columns and dialect), so it is sampled once', async () => {
    await writeFile(join(root, 'data/one.csv'), 'id;name\n1;alpha\n2;beta\n');
    const one = await connector().extract(request('full_refresh', { path: 'one.csv' }));
    expect(one.inPlace).toBe(true);
    const source = one.source as { csvOptions?: string; path?: string };
    expect(source.path).toBe(join(realRoot(), 'data/one.csv'));
    expect(source.csvOptions).toMatch(/^auto_detect=false, delim=';'/);
    expect(source.csvOptions).toContain("columns={'id': 'BIGINT', 'name': 'VARCHAR'}");
    expect(one.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
    ]);
    expect(await readExtract(one, 'id')).toEqual([
      { id: '1', name: 'alpha' },
      { id: '2', name: 'beta' },
    ]);
  });

  it('full_refresh reads every matched CSV file, each run', async () => {
    await writeFile(join(root, 'data/drops/a.csv'), 'id,name\n1,alpha\n2,beta\n');
    await writeFile(join(root, 'data/drops/b.csv'), 'id,name\n3,gamma\n');
    const first = await connector().extract(request('full_refresh', { path: 'drops/*.csv' }));
    expect(first.mode).toBe('replace');
    // Read in place: the extract is the source files themselves, nothing copied into the work folder.
    expect(first.inPlace).toBe(true);
    expect(first.source).toEqual({
      kind: 'file',
      format: 'csv',
      paths: [join(realRoot(), 'data/drops/a.csv'), join(realRoot(), 'data/drops/b.csv')],
    });
    expect(await readdir(work)).toEqual([]);
    expect(first.rowCount).toBeNull();
    expect(first.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
    ]);
    expect(await readExtract(first, 'id')).toEqual([
      { id: '1', name: 'alpha' },
      { id: '2', name: 'beta' },
      { id: '3', name: 'gamma' },
    ]);
    expect(Object.keys(first.state['files'] as object)).toEqual(['drops/a.csv', 'drops/b.csv']);
    await first.confirm?.(signal());
    const again = await connector().extract(request('full_refresh', { path: 'drops/*.csv' }, first.state));
    expect(again.inPlace).toBe(true);
  });

  it('full_refresh in place: a file that changes before the commit fails confirm as retryable source_changed', async () => {
    const file = join(root, 'data/drops/a.csv');
    await writeFile(file, 'id,name\n1,alpha\n');
    const extract = await connector().extract(request('full_refresh', { path: 'drops/a.csv' }));
    expect(extract.source).toMatchObject({ path: join(realRoot(), 'data/drops/a.csv'), format: 'csv' });
    await appendFile(file, '2,beta\n');
    await expect(extract.confirm?.(signal())).rejects.toMatchObject({
      kind: 'Transient',
      code: 'source_changed',
      retryable: true,
    });
    await rm(file);
    await expect(extract.confirm?.(signal())).rejects.toMatchObject({ code: 'source_changed' });
  });

  it('full_refresh reads JSON lines and Parquet in place too', async () => {
    await writeFile(join(root, 'data/a.jsonl'), '{"id":1,"v":"x"}\n{"id":2,"v":"y"}\n');
    const json = await connector().extract(request('full_refresh', { path: 'a.jsonl' }));
    expect(json.source.format).toBe('json');
    expect(await readExtract(json, 'id')).toEqual([
      { id: '1', v: 'x' },
      { id: '2', v: 'y' },
    ]);
  });

  it('incremental without key or cursor: a rewritten file makes the extract re-read every file and replace', async () => {
    await writeFile(join(root, 'data/drops/a.csv'), 'id,name\n1,alpha\n');
    await writeFile(join(root, 'data/drops/b.csv'), 'id,name\n2,beta\n');
    const first = await connector().extract(request('file_watch', { path: 'drops/*.csv' }));
    expect(first.mode).toBe('append');
    await writeFile(join(root, 'data/drops/a.csv'), 'id,name\n1,ALPHA\n9,omega\n');
    const next = await connector().extract(request('file_watch', { path: 'drops/*.csv' }, first.state));
    expect(next.mode).toBe('replace');
    expect(next.rowCount).toBe(3);
    expect(await readExtract(next, 'id')).toEqual([
      { id: '1', name: 'ALPHA' },
      { id: '2', name: 'beta' },
      { id: '9', name: 'omega' },
    ]);
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
    expect(await readExtract(next, 'id')).toEqual([
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
    const rows = await readExtract(next);
    expect(rows.map((r) => r['tx'])).toEqual(['T3']);
    expect(String(next.state['cursor'])).toMatch(/^2026-03-02 10:00:00/);
  });

  it('reads Parquet files', async () => {
    await writeFile(join(root, 'data/a.csv'), 'id,amount\n1,2.5\n');
    const csv = await connector().extract(request('incremental', { path: 'a.csv' }));
    expect(csv.inPlace).toBe(false);
    const parquetWs = join(root, 'data/copy.parquet');
    await (await import('node:fs/promises')).copyFile(extractFile(csv), parquetWs);
    const out = await connector().extract(request('full_refresh', { path: '*.parquet' }));
    expect(await readExtract(out)).toEqual([{ id: '1', amount: 2.5 }]);
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
