/**
 * Read access to a workspace's files. Paths are relative to the workspace root with forward
 * slashes. The validation session layers unsaved editor content over it.
 */
export interface WorkspaceFiles {
  /** Every file of the workspace (ignored folders such as node_modules, .git, .hekima excluded). */
  list(signal?: AbortSignal): Promise<string[]>;
  /** The text of a file, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
}
