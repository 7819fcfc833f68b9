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

/**
 * Connector inputs' merged data files (docs/adr/0014), beside the product's snapshots at
 * `tenant-<t>/<product>/<version>/inputs/<input>/<uuid>.parquet`. Every method takes the caller's
 * tenant and refuses a location of another tenant (fail closed).
 */
export interface InputDataFiles {
  /** Reserves a new file's paths (its folder created; the file does not exist yet). */
  stage(location: string, tenantId: string, signal?: AbortSignal): Promise<StagedFile>;
  /** fsyncs the temp file, renames it into place and fsyncs the folder. */
  publish(file: StagedFile, tenantId: string, signal?: AbortSignal): Promise<SnapshotFile>;
  /** Removes a temp file left by a failed write (idempotent). */
  discard(file: StagedFile): Promise<void>;
  /** The absolute path of a stored file, or undefined when it is gone. */
  find(location: string, tenantId: string): Promise<string | undefined>;
  /** The files of an input's folder (a location from `inputDataFolder`), with their mtimes. */
  list(folder: string, tenantId: string): Promise<{ readonly location: string; readonly modifiedAt: Date }[]>;
  /** Removes one file (idempotent). */
  remove(location: string, tenantId: string): Promise<void>;
}

export interface Lake {
  /** The absolute lake root. */
  readonly root: string;
  /** Connector inputs' merged data files. */
  readonly inputs: InputDataFiles;
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
