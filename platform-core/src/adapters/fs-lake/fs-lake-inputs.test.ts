import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inputDataFolder, inputDataLocation } from '../../domain/ingestion/input-data-location.js';
import { FsLake } from './fs-lake.js';
import { pruneInputData, writeInputData } from '../../application/lake/input-data.js';

const tenant = randomUUID();
const other = randomUUID();
const address = { tenantId: tenant, product: 'orders', version: '1.0.0', inputId: 'raw-orders' };
let root: string;

afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('FsLake input data files', () => {
  it('writes aside and publishes, finds what is there, and confines every call to the caller tenant', async () => {
    root = await mkdtemp(join(tmpdir(), 'hekima-lake-inputs-'));
    const lake = new FsLake(root);
    const file = await writeInputData(
      lake,
      address,
      (temp) => writeFile(temp, 'parquet bytes'),
      new AbortController().signal,
    );
    expect(file.location).toMatch(
      new RegExp(`^tenant-${tenant}/orders/1.0.0/inputs/raw-orders/[0-9a-f-]{36}\\.parquet$`),
    );
    expect(await readFile(file.path, 'utf8')).toBe('parquet bytes');
    // Nothing but the published file is left in the folder (no temp file).
    expect(await readdir(join(root, ...inputDataFolder(address).split('/')))).toEqual([
      file.location.split('/').at(-1),
    ]);
    expect(await lake.inputs.find(file.location, tenant)).toBe(file.path);
    const missing = inputDataLocation({ ...address, id: randomUUID() });
    expect(await lake.inputs.find(missing, tenant)).toBeUndefined();

    // Another tenant's reader gets an error, never the file (fail closed).
    await expect(lake.inputs.find(file.location, other)).rejects.toMatchObject({ code: 'invalid_lake_path' });
    await expect(lake.inputs.remove(file.location, other)).rejects.toMatchObject({ code: 'invalid_lake_path' });
    await expect(lake.inputs.list(inputDataFolder(address), other)).rejects.toMatchObject({
      code: 'invalid_lake_path',
    });
    await expect(
      lake.inputs.list(`tenant-${tenant}/../tenant-${other}/orders/1.0.0/inputs/raw-orders`, tenant),
    ).rejects.toMatchObject({ code: 'invalid_lake_path' });
    // A snapshot-shaped or escaping location is not an input data location.
    await expect(lake.inputs.stage(`tenant-${tenant}/../x.parquet`, tenant)).rejects.toMatchObject({
      code: 'invalid_lake_path',
    });
    expect(await readFile(file.path, 'utf8')).toBe('parquet bytes');
  });

  it('a failed write leaves no file; prune keeps the committed file and removes the rest past the grace', async () => {
    root = await mkdtemp(join(tmpdir(), 'hekima-lake-inputs-'));
    const lake = new FsLake(root);
    const signal = new AbortController().signal;
    await expect(
      writeInputData(
        lake,
        address,
        async (temp) => {
          await writeFile(temp, 'half');
          throw new Error('disk full');
        },
        signal,
      ),
    ).rejects.toThrow('disk full');
    const folder = join(root, ...inputDataFolder(address).split('/'));
    expect(await readdir(folder)).toEqual([]);

    const kept = await writeInputData(lake, address, (temp) => writeFile(temp, 'a'), signal);
    const older = await writeInputData(lake, address, (temp) => writeFile(temp, 'b'), signal);
    await writeFile(join(folder, '.0123abcd.tmp'), 'left by a crash');
    const young = await pruneInputData(lake, { address, keep: kept.location, graceMs: 60_000 });
    expect(young).toEqual([]);
    const removed = await pruneInputData(lake, { address, keep: kept.location, graceMs: 0 });
    expect(removed.sort()).toEqual(['.0123abcd.tmp', older.location.split('/').at(-1)].sort());
    expect(await readdir(folder)).toEqual([kept.location.split('/').at(-1)]);
  });
});
