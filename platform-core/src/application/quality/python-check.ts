import { dirname, resolve } from 'node:path';
import { isHekimaError } from '../../domain/errors.js';
import { confinedText } from '../../domain/paths/confined-path.js';
import type { JsonValue } from '../../domain/json.js';
import type { QualityCheckPlan } from '../../domain/plan/product-plan.js';
import type { Engine } from '../../ports/engine.js';
import type { PythonRunner } from '../../ports/python-runner.js';
import type { ScratchSpace } from '../../ports/scratch-space.js';
import type { Measurement } from './sql-check.js';

/**
 * custom_python contract (docs/adr/0011, 0022): the entrypoint defines `check(output)`, where
 * `output` is the new snapshot as a list of dicts, one per row (pandas installed or not),
 * and returns one of:
 *   - a bool                                   → pass / fail;
 *   - a tuple `(bool, str)`                    → pass / fail with a message;
 *   - a dict `{"pass": bool, "value": any, "message": str}` → also the measured value.
 * Anything else, or an exception, makes the check `error` (failing) with the exception and the
 * entrypoint's line from the traceback.
 */
const WRAPPER = String.raw`
import importlib.util, json

def transform(inputs):
    spec = importlib.util.spec_from_file_location("hekima_check", ENTRYPOINT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.check(inputs["output"])
    value, message = None, None
    if isinstance(result, dict):
        passed, value, message = result.get("pass", result.get("passed")), result.get("value"), result.get("message")
    elif isinstance(result, tuple) and len(result) in (1, 2):
        passed, message = result[0], (result[1] if len(result) == 2 else None)
    else:
        passed = result
    if type(passed).__name__ not in ("bool", "bool_"):
        raise TypeError("check(output) must return a bool, (bool, str) or dict(pass=..., value=..., message=...), got %r" % (result,))
    return [{"passed": bool(passed), "value": json.dumps(value, default=str), "message": None if message is None else str(message)}]
`;

export interface PythonCheckDeps {
  readonly engine: Engine;
  readonly python: PythonRunner;
  /** Writes the wrapper module into the check's folder and reads what the child wrote there. */
  readonly scratch: ScratchSpace;
}

export interface PythonCheckContext {
  /** Absolute path of the new snapshot's Parquet file. */
  readonly outputPath: string;
  /** The workspace root (the plan's entrypoint is relative to it). */
  readonly workspaceRoot: string;
  /** A private directory for this check. */
  readonly workDir: string;
  readonly timeoutMs?: number;
  readonly memoryBytes?: number;
  readonly signal?: AbortSignal;
}

export async function runPythonCheck(
  deps: PythonCheckDeps,
  check: QualityCheckPlan,
  ctx: PythonCheckContext,
): Promise<Measurement> {
  const label = check.entrypoint ?? '';
  const entry = resolve(ctx.workspaceRoot, confinedText(label));
  const [exported] = await deps.engine.exportInputs(
    [{ id: 'output', source: { kind: 'file', path: ctx.outputPath, format: 'parquet' } }],
    ctx.workDir,
    ctx.signal,
  );
  const wrapper = await deps.scratch.writeText(
    ctx.workDir,
    'hekima_check_wrapper.py',
    `ENTRYPOINT = ${JSON.stringify(entry)}\n${WRAPPER}`,
  );
  try {
    const run = await deps.python.run({
      module: wrapper,
      moduleLabel: label,
      inputs: exported ? [exported] : [],
      workDir: ctx.workDir,
      readable: [dirname(entry)],
      ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
      ...(ctx.memoryBytes !== undefined ? { memoryBytes: ctx.memoryBytes } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const line = (await deps.scratch.readText(run.outputPath)).split('\n').find((l) => l.trim() !== '') ?? '{}';
    const row = JSON.parse(line) as { passed?: boolean; value?: string; message?: string | null };
    const passed = row.passed === true;
    const measured = (row.value === undefined ? null : JSON.parse(row.value)) as JsonValue;
    return {
      status: passed ? 'passed' : 'failed',
      measured,
      threshold: null,
      message: `${passed ? 'passed' : 'failed'}${row.message ? `: ${row.message}` : ''}`,
      samples: [],
    };
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    return {
      status: 'error',
      measured: null,
      threshold: null,
      message: pythonFailure(error, entry, label),
      samples: [],
    };
  }
}

/** `checks/drift.py:7: ValueError: boom`: the entrypoint's last line in the traceback. */
function pythonFailure(error: unknown, entry: string, label: string): string {
  if (!isHekimaError(error)) return `error: ${String(error)}`;
  const details = (error.details ?? {}) as { traceback?: string; exception?: string };
  const traceback = details.traceback ?? '';
  const lines = [...traceback.matchAll(/File "([^"]+)", line (\d+)/g)].filter((m) => m[1] === entry);
  const lineNo = lines[lines.length - 1]?.[2];
  const last = traceback.trim().split('\n').slice(-1)[0] ?? error.message;
  return `error: ${label}${lineNo ? `:${lineNo}` : ''}: ${details.exception ? last : error.message}`;
}
