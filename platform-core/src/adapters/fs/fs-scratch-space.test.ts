import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsScratchSpace, SCRATCH_FOLDER } from './fs-scratch-space.js';

describe('FsScratchSpace', () => {
  const scratch = new FsScratchSpace();

  it('creates private folders under the workspace .hekima/tmp, named after their owner process', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hekima-scratch-'));
    const dir = await scratch.create(root, 'py');
    expect(dirname(dir)).toBe(join(root, SCRATCH_FOLDER));
    expect(basename(dir)).toMatch(new RegExp(`^py-[0-9a-f]{8}-${process.pid}-\\d+-`));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    await scratch.remove(dir);
    expect(existsSync(dir)).toBe(false);
  });

  it("sweeps only the folders of ended processes of this host, never a live owner's, another host's or a stranger", async () => {
    const root = mkdtempSync(join(tmpdir(), 'hekima-scratch-'));
    const mine = await scratch.create(root, 'run');
    const [, host, , start] = /^run-([0-9a-f]{8})-(\d+)-(\d+)-/.exec(basename(mine))!;
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const base = join(root, SCRATCH_FOLDER);
    const dead = join(base, `py-${host}-${ended.stdout}-123-abcdef`);
    // This process's pid with another start time: a dead owner whose pid was reused.
    const reused = join(base, `check-${host}-${process.pid}-${Number(start) + 1}-ghijkl`);
    const otherHost = join(base, `py-00000000-${ended.stdout}-123-mnopqr`);
    const stranger = join(base, 'not-ours');
    for (const d of [dead, reused, otherHost, stranger]) mkdirSync(join(d, 'inside'), { recursive: true });
    const removed = await scratch.sweep(root);
    expect([...removed].sort()).toEqual([reused, dead].sort());
    expect([mine, otherHost, stranger].every((d) => existsSync(d))).toBe(true);
    expect([dead, reused].some((d) => existsSync(d))).toBe(false);
  });

  it('sweeping a workspace without scratch folders removes nothing', async () => {
    expect(await scratch.sweep(mkdtempSync(join(tmpdir(), 'hekima-scratch-')))).toEqual([]);
  });
});
