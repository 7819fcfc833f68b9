/**
 * The lake: Parquet snapshot files under a root, one folder per tenant
 * (`<root>/tenant-<tenantId>/<product>/<version>/snapshots/<snapshotId>/data.parquet`). Paths are
 * built from validated segments only (never escape the tenant folder). The lake writes files; the
 * catalog decides which are visible (docs/adr/0011): a file without a committed catalog row is
 * invisible and is removed by a sweep.
 */
export interface SnapshotFile {
  /** Relative to the lake root (what the catalog stores). */
  readonly location: string;
  /** Absolute path of the data file. */
  readonly path: string;
}

export interface StagedFile extends SnapshotFile {
  /** Absolute path to write first (beside the final one, same file system); `publish` renames it. */
  readonly tempPath: string;
}

export interface Lake {
  /** The absolute lake root. */
  readonly root: string;
  /** Reserves a snapshot's paths and creates its folder (the data file does not exist yet). */
  stage(location: string, signal?: AbortSignal): Promise<StagedFile>;
  /** fsyncs the temp file, renames it into place and fsyncs the folder: all or nothing on disk. */
  publish(file: StagedFile, signal?: AbortSignal): Promise<SnapshotFile>;
  /** The absolute path of a stored location (validated: stays inside its tenant folder). */
  resolve(location: string): string;
  /** Removes a snapshot's folder (idempotent). */
  remove(location: string, signal?: AbortSignal): Promise<void>;
  /** Snapshot ids present on disk under a product version's folder, with their folder's mtime. */
  list(
    tenantId: string,
    product: string,
    version: string,
    signal?: AbortSignal,
  ): Promise<{ readonly snapshotId: string; readonly location: string; readonly modifiedAt: Date }[]>;
}
