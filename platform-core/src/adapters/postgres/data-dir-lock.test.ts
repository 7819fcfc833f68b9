import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.js';

describe('lockDataDir', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('locks once, refuses a live owner, takes over a dead one, and unlocks', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-lock-'));
    const data = join(dir, 'catalog');
    const unlock = await lockDataDir(data);
    expect(await readFile(`${data}.lock`, 'utf8')).toBe(String(process.pid));
    await expect(lockDataDir(data)).rejects.toMatchObject({ kind: 'InvalidState', code: 'catalog_in_use' });
    await unlock();

    await writeFile(`${data}.lock`, String(process.ppid)); // a live process
    await expect(lockDataDir(data)).rejects.toMatchObject({ code: 'catalog_in_use', details: { pid: process.ppid } });
    await writeFile(`${data}.lock`, '4194300'); // above any pid in use here: stale
    const again = await lockDataDir(data);
    await again();
  });
});
