import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { invalidArgument, throwIfAborted } from '../../domain/errors.js';
import { parseInputDataLocation } from '../../domain/ingestion/input-data-location.js';
import { snapshotsFolder, tenantFolder } from '../../domain/lake/lake-path.js';
import { isUuid } from '../../domain/pagination.js';
import type { InputDataFiles, Lake, SnapshotFile, StagedFile } from '../../ports/lake.js';

const LOCATION = /^tenant-([0-9a-f-]{36})\/([^/]+)\/([^/]+)\/snapshots\/([0-9a-f-]{36})\/data\.parquet$/i;

/**
 * A lake on a local (or mounted) file system. Atomic publication: the engine writes a temp file
 * beside the final one; `publish` fsyncs it, renames it into place and fsyncs the folder, so a
 * crash leaves either no data file or a complete one (and never a visible snapshot: visibility
 * is the catalog's committed row).
 */
export class FsLake implements Lake {
  readonly root: string;
  readonly inputs: InputDataFiles;

  constructor(root: string) {
    this.root = resolve(root);
    this.inputs = new FsInputDataFiles(this.root);
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
    return publishStaged(file, this.resolve(file.location));
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

/**
 * Input data files: the same write-aside discipline as snapshots, at input-data locations
 * (validated by the domain's parser, which also refuses another tenant's location).
 */
class FsInputDataFiles implements InputDataFiles {
  constructor(private readonly root: string) {}

  #path(location: string, tenantId: string): string {
    parseInputDataLocation(location, tenantId);
    return this.#inside(location, tenantId);
  }

  #inside(location: string, tenantId: string): string {
    const path = join(this.root, ...location.split('/'));
    const tenantRoot = join(this.root, tenantFolder(tenantId));
    if (!path.startsWith(tenantRoot + sep)) throw badLocation(location);
    return path;
  }

  async stage(location: string, tenantId: string, signal?: AbortSignal): Promise<StagedFile> {
    throwIfAborted(signal, 'writing input data');
    const path = this.#path(location, tenantId);
    await mkdir(dirname(path), { recursive: true });
    return { location, path, tempPath: join(dirname(path), `.${randomBytes(8).toString('hex')}.tmp`) };
  }

  async publish(file: StagedFile, tenantId: string, signal?: AbortSignal): Promise<SnapshotFile> {
    throwIfAborted(signal, 'writing input data');
    return publishStaged(file, this.#path(file.location, tenantId));
  }

  async discard(file: StagedFile): Promise<void> {
    await rm(file.tempPath, { force: true });
  }

  async find(location: string, tenantId: string): Promise<string | undefined> {
    const path = this.#path(location, tenantId);
    const info = await stat(path).catch(() => undefined);
    return info?.isFile() ? path : undefined;
  }

  async list(folder: string, tenantId: string): Promise<{ location: string; modifiedAt: Date }[]> {
    const names = await readdir(this.#inside(folder, tenantId)).catch(() => [] as string[]);
    const out: { location: string; modifiedAt: Date }[] = [];
    for (const name of names.sort()) {
      const location = `${folder}/${name}`;
      const info = await stat(join(this.root, ...location.split('/'))).catch(() => undefined);
      if (info?.isFile()) out.push({ location, modifiedAt: info.mtime });
    }
    return out;
  }

  async remove(location: string, tenantId: string): Promise<void> {
    // Temp files of failed writes (`.<hex>.tmp`) are removable too: only the folder is checked for them.
    const name = location.split('/').at(-1) ?? '';
    const path = /^\.[0-9a-f]+\.tmp$/.test(name) ? this.#inside(location, tenantId) : this.#path(location, tenantId);
    await rm(path, { force: true });
  }
}

/** fsyncs the temp file, renames it into place and fsyncs the folder: all or nothing on disk. */
async function publishStaged(file: StagedFile, path: string): Promise<SnapshotFile> {
  if (path !== file.path || dirname(file.tempPath) !== dirname(file.path)) throw badLocation(file.location);
  await fsync(file.tempPath);
  await rename(file.tempPath, file.path);
  await fsync(dirname(file.path));
  return { location: file.location, path: file.path };
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
