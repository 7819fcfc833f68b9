import { resolve } from 'node:path';
import { isHekimaError, notFound, type ErrorJSON } from '../../domain/errors.js';
import { productLogic } from '../transform/product-logic.js';
import { runTransform, type TransformDeps } from '../transform/run-transform.js';
import { joinPath, type ProductUnit } from '../validate/product-unit.js';
import { ValidationSession, type ValidationDeps } from '../validate/validation-session.js';
import type { WorkspaceIndex } from '../validate/workspace-index.js';
import { compareOutput, type OutputDiff } from './compare-output.js';
import { fixtureFile, fixtureInputs } from './fixture-inputs.js';

export interface TestProductDeps extends TransformDeps {
  readonly validation: ValidationDeps;
}

export interface TestProductRequest {
  /** Absolute workspace root. */
  readonly root: string;
  /** metadata.name, or the product folder relative to the root. */
  readonly product: string;
  readonly signal?: AbortSignal;
}

export interface ProductTestReport {
  readonly product: string;
  readonly folder: string;
  readonly runtime: 'sql' | 'python';
  /** True when the logic ran and matched the expected output (or ran, when there is none). */
  readonly passed: boolean;
  readonly rowCount?: number;
  readonly columns?: readonly string[];
  readonly expected?: { readonly file: string; readonly rowCount: number };
  /** Whether row order was compared (the SQL has a top-level ORDER BY). */
  readonly ordered?: boolean;
  readonly diff?: OutputDiff;
  readonly error?: ErrorJSON;
  readonly stderr?: string;
}

export function findUnit(index: WorkspaceIndex, product: string): ProductUnit {
  const normalized = product.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^\.\//, '');
  const summary = index.product(normalized) ?? index.summaries.find((s) => s.unit.folder === normalized);
  if (!summary)
    throw notFound(
      'product_not_found',
      `no product named or in folder "${product}" in this workspace (products: ${index.names().sort().join(', ')})`,
    );
  return summary.unit;
}

function toJSON(e: unknown): ErrorJSON {
  if (isHekimaError(e)) return e.toJSON();
  return {
    name: 'HekimaError',
    kind: 'Permanent',
    code: 'unexpected_error',
    message: e instanceof Error ? e.message : String(e),
    retryable: false,
  };
}

/** `hekima test <product>`: runs the logic on tests/fixtures and compares with expected_output. */
export async function testProduct(deps: TestProductDeps, request: TestProductRequest): Promise<ProductTestReport> {
  const session = await ValidationSession.open(deps.validation, 'fast', request.signal);
  const index = session.workspaceIndex();
  const unit = findUnit(index, request.product);
  const name = index.summaryOf(unit)?.name ?? unit.folder;
  const logic = productLogic(unit);
  const base = { product: name, folder: unit.folder, runtime: logic.runtime };
  let result;
  try {
    const inputs = fixtureInputs(request.root, index, unit);
    result = await runTransform(deps, {
      root: request.root,
      logic,
      inputs,
      collectRows: true,
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (e) {
    if (request.signal?.aborted) throw e;
    return {
      ...base,
      passed: false,
      error: toJSON(e),
      ...(isHekimaError(e) && typeof e.details?.['stderr'] === 'string' ? { stderr: e.details['stderr'] } : {}),
    };
  }
  const stderr = result.stderr ? { stderr: result.stderr } : {};
  const ran = { ...base, rowCount: result.rowCount, columns: result.columns, ordered: result.ordered, ...stderr };
  const expectedFile = fixtureFile(unit, 'expected_output');
  if (!expectedFile) return { ...ran, passed: true };
  const file = joinPath(unit.folder, expectedFile.path);
  let expected;
  try {
    expected = await deps.engine.run({
      logic: {
        kind: 'table',
        file,
        source: {
          kind: 'file',
          path: resolve(request.root, file),
          format: expectedFile.format,
          columns: logic.output.map((c) => ({ name: c.name, type: c.type })),
        },
      },
      inputs: [],
      output: logic.output,
      collectRows: true,
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (e) {
    return { ...ran, passed: false, error: toJSON(e) };
  }
  const diff = compareOutput(logic.output, expected.rows ?? [], result.rows ?? [], result.ordered);
  return { ...ran, passed: diff.equal, expected: { file, rowCount: expected.rowCount }, diff };
}
