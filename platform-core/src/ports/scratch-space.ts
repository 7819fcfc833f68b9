/**
 * Private working folders of one process (copies of a run's inputs for Python logic, extracts
 * being ingested, a snapshot exported for a `custom_python` check). They live under the workspace,
 * where the next run can find them: a process killed with SIGKILL cannot remove its own, so
 * `sweep` removes those whose owner process has ended (docs/adr/0019).
 */
export interface ScratchSpace {
  /** A new private folder (mode 0700) for work of this process on the workspace at `root`; `purpose` names it (`py`, `run`, `check`). */
  create(root: string, purpose: string): Promise<string>;
  /** Writes a text file named `name` into a folder `create` returned; returns its absolute path. */
  writeText(dir: string, name: string, text: string): Promise<string>;
  /** Reads a text file inside a folder `create` returned (what a child process wrote there). */
  readText(path: string): Promise<string>;
  /** Removes a folder `create` returned, with everything in it. */
  remove(dir: string): Promise<void>;
  /**
   * Removes the folders of the workspace at `root` whose owner process has ended (on this host;
   * a folder of another host, or of a live process, is kept). Returns the folders removed.
   */
  sweep(root: string, signal?: AbortSignal): Promise<readonly string[]>;
}
