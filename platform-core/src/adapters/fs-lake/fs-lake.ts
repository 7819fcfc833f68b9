import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { invalidArgument, throwIfAborted } from '../../domain/errors.js';
import { snapshotsFolder, tenantFolder } from '../../domain/lake/lake-path.js';
import { isUuid } from '../../domain/pagination.js';
import type { Lake, SnapshotFile, StagedFile } from '../../ports/lake.js';

const LOCATION = /^tenant-([0-9a-f-]{36})\/([^/]+)\/([^/]+)\/snapshots\/([0-9a-f-]{36})\/data\.parquet$/i;

/**
 * A lake on a local (or mounted) file system. Atomic publication: the engine writes a temp file
 * beside the final one; `publish` fsyncs it, renames it into place and fsyncs the folder, so a
 * crash leaves either no data file or a complete one (and never a visible snapshot: visibility
 * is the catalog's committed row).
 */
export class FsLake implements Lake {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  resolve(location: string): string {
    const match = LOCATION.exec(location);
    if (!match) throw badLocation(location);
    const [, tenantId = '', product = '', version = '', snapshotId = ''] = match;
    if (!isUuid(snapshotId)) throw badLocation(location);
    const folder = join(this.root, snapshotsFolder(tenantId, product, version));
    const path = join(folder, snapshotId, 'data.parquet');
    const tenantRoot = join(this.root, tenantFolder(tenantId));
    if (relative(tenantRoot, path).startsWith('..') || !path.startsWith(tenantRoot + sep)) throw badLocation(location);
    return path;
  }

  async stage(location: string, signal?: AbortSignal): Promise<StagedFile> {
    throwIfAborted(signal, 'staging a snapshot');
    const path = this.resolve(location);
    await mkdir(dirname(path), { recursive: true });
    const tempPath = join(dirname(path), `.data.parquet.${randomBytes(6).toString('hex')}.tmp`);
    return { location, path, tempPath };
  }

  async publish(file: StagedFile, signal?: AbortSignal): Promise<SnapshotFile> {
    throwIfAborted(signal, 'publishing a snapshot');
    if (this.resolve(file.location) !== file.path || dirname(file.tempPath) !== dirname(file.path)) {
      throw badLocation(file.location);
    }
    await fsync(file.tempPath);
    await rename(file.tempPath, file.path);
    await fsync(dirname(file.path));
    return { location: file.location, path: file.path };
  }

  async remove(location: string): Promise<void> {
    await rm(dirname(this.resolve(location)), { recursive: true, force: true });
  }

  async list(tenantId: string, product: string, version: string, signal?: AbortSignal) {
    const folder = join(this.root, snapshotsFolder(tenantId, product, version));
    const names = await readdir(folder).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    const out: { snapshotId: string; location: string; modifiedAt: Date }[] = [];
    for (const name of names.sort()) {
      throwIfAborted(signal, 'listing snapshots');
      if (!isUuid(name)) continue;
      const info = await stat(join(folder, name)).catch(() => undefined);
      if (!info?.isDirectory()) continue;
      const location = `${snapshotsFolder(tenantId, product, version)}/${name}/data.parquet`;
      out.push({ snapshotId: name, location, modifiedAt: info.mtime });
    }
    return out;
  }
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function badLocation(location: string) {
  return invalidArgument('invalid_lake_path', `"${location}" is not a snapshot location of this lake.`, {
    details: { location },
    retryable: false,
  });
}
