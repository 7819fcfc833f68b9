import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join, sep } from 'node:path';
import type { ScratchSpace } from '../../ports/scratch-space.js';

/** Where a workspace's scratch folders live, below its `.hekima/` (never a folder a connection may name). */
export const SCRATCH_FOLDER = join('.hekima', 'tmp');

/** `<purpose>-<host>-<pid>-<start>-XXXXXX`: the owner is in the name, written atomically with the folder. */
const NAME = /^([a-z]+)-([0-9a-f]{8})-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * Scratch folders in `<workspace>/.hekima/tmp/`, each named after its owner: this host (a hash of
 * its name), this process's pid and its start time (clock ticks since boot, from /proc: a pid
 * reused by a later process does not keep a dead owner's folders alive). `sweep` removes the
 * folders of this host whose owner is gone; it never touches a name it did not make.
 */
export class FsScratchSpace implements ScratchSpace {
  private readonly host = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
  private readonly self = `${process.pid}-${startTicks(process.pid) ?? 0}`;

  async create(root: string, purpose: string): Promise<string> {
    const base = join(root, SCRATCH_FOLDER);
    await mkdir(base, { recursive: true, mode: 0o700 });
    return mkdtemp(join(base, `${purpose}-${this.host}-${this.self}-`));
  }

  async writeText(dir: string, name: string, text: string): Promise<string> {
    if (name !== basename(name) || name === '' || name === '..') throw new Error(`not a file name: ${name}`);
    const path = join(scratchFolder(dir), name);
    await writeFile(path, text, { mode: 0o600 });
    return path;
  }

  async readText(path: string): Promise<string> {
    scratchFolder(path);
    return readFile(path, 'utf8');
  }

  async remove(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  async sweep(root: string, signal?: AbortSignal): Promise<readonly string[]> {
    const base = join(root, SCRATCH_FOLDER);
    const names = await readdir(base).catch(() => [] as string[]);
    const removed: string[] = [];
    for (const name of names) {
      signal?.throwIfAborted();
      const m = NAME.exec(name);
      if (!m || m[2] !== this.host || ownerAlive(Number(m[3]), Number(m[4]))) continue;
      await rm(join(base, name), { recursive: true, force: true });
      removed.push(join(base, name));
    }
    return removed;
  }
}

/** `path` itself, when it lies in a workspace's scratch folders (this port touches nothing else). */
function scratchFolder(path: string): string {
  if (!path.includes(`${sep}${SCRATCH_FOLDER}${sep}`)) throw new Error(`not in a scratch folder: ${path}`);
  return path;
}

/** Field 22 of /proc/<pid>/stat (the process's start, in clock ticks since boot); undefined without /proc. */
function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

function ownerAlive(pid: number, start: number): boolean {
  const now = startTicks(pid);
  if (now !== undefined) return start === 0 || now === start;
  try {
    process.kill(pid, 0); // no /proc (not Linux) or no such process
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
