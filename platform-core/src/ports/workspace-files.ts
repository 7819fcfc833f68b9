import type { WorkspaceLinks } from '../domain/paths/confined-path.js';

/**
 * Read access to a workspace's files. Paths are relative to the workspace root with forward
 * slashes. The validation session layers unsaved editor content over it.
 */
export interface WorkspaceFiles {
  /** Every file of the workspace (ignored folders such as node_modules, .git, .hekima excluded). */
  list(signal?: AbortSignal): Promise<string[]>;
  /** The text of a file, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  /**
   * The symbolic links met by the last `list()` (not followed by it) and where they lead, so that
   * validation can refuse a path that goes through one out of the workspace or into its state.
   */
  links?(): WorkspaceLinks;
  /**
   * The size in bytes of a regular file, or undefined when it does not exist or is not a regular
   * file (a FIFO or a device is never read). Callers measure before they read (file-limits.ts).
   */
  size(path: string): Promise<number | undefined>;
}
