import { randomUUID } from 'node:crypto';
import { permanent, throwIfAborted } from '../../domain/errors.js';
import {
  inputDataFolder,
  inputDataLocation,
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

/** The committed data of an input; Permanent `input_data_missing` when the file is gone. */
export async function committedInputData(
  lake: Lake,
  location: string,
  tenantId: string,
  inputId: string,
): Promise<string> {
  const path = await lake.inputs.find(location, tenantId);
  if (path === undefined)
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
  const staged = await lake.inputs.stage(location, address.tenantId, signal);
  try {
    await write(staged.tempPath);
    throwIfAborted(signal, 'writing input data');
    return await lake.inputs.publish(staged, address.tenantId, signal);
  } catch (e) {
    await lake.inputs.discard(staged);
    throw e;
  }
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
  const { tenantId } = request.address;
  const files = await lake.inputs.list(inputDataFolder(request.address), tenantId).catch(() => []);
  const now = (request.now ?? new Date()).getTime();
  const grace = request.graceMs ?? 3_600_000;
  const removed: string[] = [];
  for (const file of files) {
    if (file.location === request.keep) continue;
    const mtime = file.modifiedAt.getTime();
    const superseded = request.committedAt !== undefined && mtime < request.committedAt.getTime();
    if (!superseded && now - mtime < grace) continue;
    const name = file.location.split('/').at(-1) ?? '';
    const gone = await lake.inputs.remove(file.location, tenantId).then(
      () => true,
      () => false,
    );
    if (gone) removed.push(name);
  }
  return removed;
}
