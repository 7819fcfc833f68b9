import { resolve } from 'node:path';
import { invalidArgument } from '../../domain/errors.js';
import { confinedText } from '../../domain/paths/confined-path.js';
import type { BoundInput, Engine, EngineResult } from '../../ports/engine.js';
import type { PythonRunner } from '../../ports/python-runner.js';
import type { ScratchSpace } from '../../ports/scratch-space.js';
import type { SqlAnalyzer } from '../../ports/sql-analyzer.js';
import type { ProductLogic } from './product-logic.js';

export interface TransformDeps {
  readonly engine: Engine;
  readonly python: PythonRunner;
  readonly sql: SqlAnalyzer;
  /** Where Python logic's copies of its inputs are written (swept after a crash). */
  readonly scratch: ScratchSpace;
}

export interface TransformRequest {
  /** Absolute workspace root. */
  readonly root: string;
  readonly logic: ProductLogic;
  readonly inputs: readonly BoundInput[];
  readonly outputPath?: string;
  readonly collectRows?: boolean;
  readonly signal?: AbortSignal;
}

export interface TransformResult extends EngineResult {
  /** stderr of Python logic (for the execution log). */
  readonly stderr?: string;
}

/**
 * Runs a product's logic: SQL in the engine with its inputs bound as tables; Python in a child
 * process over JSON-lines copies of the inputs, its rows then shaped by the same engine code.
 */
export async function runTransform(deps: TransformDeps, request: TransformRequest): Promise<TransformResult> {
  const { logic } = request;
  if (logic.runtime === 'sql') {
    if (logic.text === undefined) throw invalidArgument('logic_missing', `${logic.file} does not exist`);
    await deps.sql.ready();
    const analysis = deps.sql.analyze(logic.text, () => undefined);
    const outputSpans = analysis.error
      ? undefined
      : analysis.outputColumns.map((c) => ({ name: c.name, start: c.start, end: c.end }));
    return deps.engine.run({
      logic: { kind: 'sql', sql: logic.text, file: logic.file, ...(outputSpans ? { outputSpans } : {}) },
      inputs: request.inputs,
      output: logic.output,
      limits: logic.limits,
      ...common(request),
    });
  }
  const workDir = await deps.scratch.create(request.root, 'py');
  try {
    const files = await deps.engine.exportInputs(request.inputs, workDir, request.signal);
    const ran = await deps.python.run({
      module: resolve(request.root, confinedText(logic.file)),
      moduleLabel: logic.file,
      inputs: files,
      workDir,
      memoryBytes: logic.limits.memoryBytes,
      timeoutMs: logic.limits.timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const source =
      ran.rowCount === 0
        ? { kind: 'rows' as const, columns: logic.output.map((c) => ({ name: c.name, type: c.type })), rows: [] }
        : { kind: 'file' as const, path: ran.outputPath, format: 'json' as const };
    const result = await deps.engine.run({
      logic: { kind: 'table', source, file: logic.file },
      inputs: [],
      output: logic.output,
      limits: logic.limits,
      ...common(request),
    });
    return { ...result, ordered: false, stderr: ran.stderr };
  } finally {
    await deps.scratch.remove(workDir);
  }
}

function common(request: TransformRequest) {
  return {
    ...(request.outputPath !== undefined ? { outputPath: request.outputPath } : {}),
    ...(request.collectRows ? { collectRows: true } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  };
}
