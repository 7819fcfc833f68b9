import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { permanent, throwIfAborted } from '../../domain/errors.js';
import {
  inputDataFolder,
  inputDataLocation,
  parseInputDataLocation,
  type InputDataAddress,
} from '../../domain/ingestion/input-data-location.js';
import type { Lake } from '../../ports/lake.js';

/**
 * A connector input's merged full data set (docs/adr/0014), kept in the lake beside the product's
 * snapshots (`tenant-<t>/<product>/<version>/inputs/<input>/<uuid>.parquet`). Written aside like
 * a snapshot (temp file, fsync, rename, fsync the folder); it counts only once a committed
 * connector state names it, and files no state names are pruned.
 */
export interface InputDataFile {
  /** Relative to the lake root (what the connector state stores). */
  readonly location: string;
  /** Absolute path. */
  readonly path: string;
}

/** The absolute path of a stored location, validated to stay in the tenant's folder. */
export function inputDataPath(lake: Lake, location: string, tenantId: string): string {
  parseInputDataLocation(location, tenantId);
  return join(lake.root, ...location.split('/'));
}

/** The committed data of an input; Permanent `input_data_missing` when the file is gone. */
export async function committedInputData(
  lake: Lake,
  location: string,
  tenantId: string,
  inputId: string,
): Promise<string> {
  const path = inputDataPath(lake, location, tenantId);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile())
    throw permanent(
      'input_data_missing',
      `The data of input "${inputId}" committed with its connector state is missing from the lake (${location}). Reset the input's connector state (catalog table connector_states) to read the source again from the start.`,
      { details: { input: inputId, location } },
    );
  return path;
}

/** Writes a new data file aside: `write` fills a temp file, which is fsynced and renamed into place. */
export async function writeInputData(
  lake: Lake,
  address: Omit<InputDataAddress, 'id'>,
  write: (tempPath: string) => Promise<void>,
  signal: AbortSignal,
): Promise<InputDataFile> {
  const location = inputDataLocation({ ...address, id: randomUUID() });
  const path = inputDataPath(lake, location, address.tenantId);
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${randomUUID()}.tmp`);
  try {
    await write(temp);
    throwIfAborted(signal, 'writing input data');
    await fsync(temp);
    await rename(temp, path);
    await fsync(dirname(path));
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  return { location, path };
}

export interface PruneRequest {
  readonly address: Omit<InputDataAddress, 'id'>;
  /** The committed location (always kept). */
  readonly keep?: string;
  /**
   * When the committed state was written: files older than that and not kept were superseded by
   * it (or belong to runs that can no longer commit: their compare-and-set fails).
   */
  readonly committedAt?: Date;
  /** Newer files no state names are left alone this long (a run in progress; default 1 h). */
  readonly graceMs?: number;
  readonly now?: Date;
}

/** Removes an input's data files that no committed state names (best effort); returns their names. */
export async function pruneInputData(lake: Lake, request: PruneRequest): Promise<string[]> {
  const folder = join(lake.root, ...inputDataFolder(request.address).split('/'));
  const names = await readdir(folder).catch(() => [] as string[]);
  const keep = request.keep?.split('/').at(-1);
  const now = (request.now ?? new Date()).getTime();
  const grace = request.graceMs ?? 3_600_000;
  const removed: string[] = [];
  for (const name of names) {
    if (name === keep) continue;
    const info = await stat(join(folder, name)).catch(() => undefined);
    if (!info?.isFile()) continue;
    const superseded = request.committedAt !== undefined && info.mtimeMs < request.committedAt.getTime();
    if (!superseded && now - info.mtimeMs < grace) continue;
    await rm(join(folder, name), { force: true }).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
