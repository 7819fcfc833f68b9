/**
 * Runs a product's Python logic (`transform(inputs) -> table`) outside the engine's process.
 * Data crosses through JSON-lines files in a per-run directory. The contract (ADR 0023): `inputs`
 * maps each input id to a list of dicts, one per row, pandas installed or not; the logic returns a
 * list of dicts or anything with `to_dict("records")` (a pandas DataFrame).
 */
export interface PythonInputFile {
  readonly id: string;
  /** Absolute path of a JSON-lines file, one object per row. */
  readonly path: string;
  readonly columns: readonly string[];
}

export interface PythonRunRequest {
  /** Absolute path of the logic module. */
  readonly module: string;
  /** The module as reported in errors (relative to the workspace root). */
  readonly moduleLabel: string;
  readonly inputs: readonly PythonInputFile[];
  /** A private directory of this run (the runner writes its result there). */
  readonly workDir: string;
  /** More paths the logic may read (the sandbox allows its inputs, the module's folder and workDir). */
  readonly readable?: readonly string[];
  readonly memoryBytes?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface PythonRunResult {
  /** JSON-lines file of the returned rows. */
  readonly outputPath: string;
  readonly columns: readonly string[];
  readonly rowCount: number;
  /** What the logic wrote to stderr (kept for the execution log). */
  readonly stderr: string;
  /** Whether the logic imported pandas (inputs are always lists of dicts, ADR 0023). */
  readonly pandas: boolean;
  /** The sandbox layers that applied (e.g. `landlock-v7`, `seccomp`, `audit-hook`; ADR 0015). */
  readonly sandbox?: readonly string[];
}

export interface PythonRunner {
  run(request: PythonRunRequest): Promise<PythonRunResult>;
}
