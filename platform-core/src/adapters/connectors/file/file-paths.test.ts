import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PathGuard } from '../../fs/path-guard.js';
import { matchFiles } from './file-paths.js';

let root: string;
let guard: PathGuard;
const signal = new AbortController().signal;
const names = async (pattern: string, folder = 'data') =>
  (await matchFiles(guard, await guard.folder(folder), pattern, signal)).map((f) => f.name);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hekima-file-paths-'));
  await mkdir(join(root, 'data/2026/01'), { recursive: true });
  for (const f of [
    'sales-a.csv',
    'sales-b.csv',
    'sales-c.csv',
    'sales-1.csv',
    'sales-2.csv',
    'sales-3.csv',
    '.hidden.csv',
  ])
    await writeFile(join(root, 'data', f), 'x\n1\n');
  await writeFile(join(root, 'data/2026/01/day-1.jsonl'), '{}\n');
  guard = new PathGuard(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('matchFiles', () => {
  it('matches one segment with *, any depth with **, one character with ?', async () => {
    expect(await names('*.csv')).toEqual([
      'sales-1.csv',
      'sales-2.csv',
      'sales-3.csv',
      'sales-a.csv',
      'sales-b.csv',
      'sales-c.csv',
    ]);
    expect(await names('**/*.jsonl')).toEqual(['2026/01/day-1.jsonl']);
    expect(await names('2026/*/day-?.jsonl')).toEqual(['2026/01/day-1.jsonl']);
  });

  it('matches brace and bracket globs (issue 12 point 4)', async () => {
    expect(await names('sales-{a,b}.csv')).toEqual(['sales-a.csv', 'sales-b.csv']);
    expect(await names('sales-[12].csv')).toEqual(['sales-1.csv', 'sales-2.csv']);
    expect(await names('sales-[^12a-c].csv')).toEqual(['sales-3.csv']);
  });

  it('refuses an invalid pattern as a permanent error naming it', async () => {
    await expect(names('sales-[12.csv')).rejects.toMatchObject({
      kind: 'InvalidArgument',
      code: 'invalid_path_pattern',
      message: expect.stringContaining('sales-[12.csv'),
    });
  });

  it('never matches hidden entries with a wildcard, and refuses them by name', async () => {
    expect(await names('*hidden*')).toEqual([]);
    await expect(names('.hidden.csv')).rejects.toMatchObject({ kind: 'Forbidden', code: 'path_protected' });
  });

  it('returns nothing for a valid pattern that matches nothing yet', async () => {
    expect(await names('sales-{x,y}.csv')).toEqual([]);
  });

  it('refuses a link to a file outside the folder', async () => {
    await writeFile(join(root, 'secret.txt'), 'no\n');
    await symlink(join(root, 'secret.txt'), join(root, 'data', 'link.csv'));
    try {
      await expect(names('link.csv')).rejects.toMatchObject({ code: 'path_outside_workspace' });
      await expect(names('*.csv')).rejects.toMatchObject({ code: 'path_outside_workspace' });
    } finally {
      await rm(join(root, 'data', 'link.csv'));
    }
  });
});
