import { readFile, rm, writeFile } from 'node:fs/promises';
import { invalidState } from '../../domain/errors.js';

/**
 * PGlite is one process's database: two processes opening the same data folder would corrupt it.
 * A lock file beside the folder (`<dataDir>.lock`, holding the owner's pid) makes the second one
 * fail clearly instead. A lock left by a process that no longer exists is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw invalidState(
        'catalog_in_use',
        `The embedded catalog ${dataDir} is open in another process (pid ${owner}). Stop it, or use server mode (HEKIMA_DATABASE_URL) for several processes.`,
        { details: { pid: owner } },
      );
    }
    if (owner === process.pid) {
      throw invalidState(
        'catalog_in_use',
        `The embedded catalog ${dataDir} is already open in this process; share that instance.`,
      );
    }
    await rm(path, { force: true }); // stale: its process is gone
  }
  throw invalidState('catalog_in_use', `Could not lock the embedded catalog ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only, nothing is sent
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
