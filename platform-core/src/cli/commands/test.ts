import { jsonText } from '../../domain/typed-json.js';
import { hasErrorKind } from '../../domain/errors.js';
import type { Platform } from '../../composition.js';
import { testProduct, type ProductTestReport } from '../../application/test-product/test-product.js';
import type { Cell } from '../../application/test-product/compare-output.js';
import { EXIT, painter, UsageError, type CliIO } from '../output.js';
import { locateWorkspace } from '../workspace-location.js';

export interface TestOptions {
  readonly workspace?: string;
  readonly json?: boolean;
}

const SHOWN = 10;

/** `hekima test <product>`: exit 0 when the logic matches its expected output, 1 otherwise. */
export async function runTest(platform: Platform, io: CliIO, product: string, options: TestOptions): Promise<number> {
  const target = { root: locateWorkspace(io, options.workspace) };
  let report: ProductTestReport;
  try {
    report = await testProduct(
      {
        engine: platform.engine,
        python: platform.python,
        scratch: platform.scratch,
        sql: platform.sql,
        validation: platform.validationDeps(target.root),
      },
      { root: target.root, product },
    );
  } catch (e) {
    if (hasErrorKind(e, 'NotFound')) throw new UsageError(e.message);
    throw e;
  }
  if (options.json) io.stdout.write(jsonText(report));
  else io.stdout.write(formatReport(report, io));
  return report.passed ? EXIT.ok : EXIT.findings;
}

const show = (row: Readonly<Record<string, Cell>>): string =>
  Object.entries(row)
    .map(([k, v]) => `${k}=${v === null ? 'NULL' : JSON.stringify(v)}`)
    .join(', ');

export function formatReport(report: ProductTestReport, io: CliIO): string {
  const paint = painter(io);
  const lines: string[] = [];
  const name = paint('bold', report.product);
  if (report.error) {
    lines.push(`${paint('red', '✖')} ${name}: ${report.error.message}  ${paint('gray', report.error.code)}`);
    if (report.stderr)
      for (const l of report.stderr.trimEnd().split('\n').slice(-15)) lines.push(paint('gray', `  │ ${l}`));
    return lines.join('\n') + '\n';
  }
  const rows = `${report.rowCount} row${report.rowCount === 1 ? '' : 's'}`;
  if (!report.expected) {
    lines.push(`${paint('green', '✔')} ${name}: ran, ${rows} (no expected_output fixture to compare with)`);
    return lines.join('\n') + '\n';
  }
  const order = report.ordered ? 'in order' : 'order ignored';
  if (report.passed) {
    lines.push(`${paint('green', '✔')} ${name}: ${rows} match ${report.expected.file} (${order})`);
    return lines.join('\n') + '\n';
  }
  const diff = report.diff;
  lines.push(
    `${paint('red', '✖')} ${name}: the result (${rows}) differs from ${report.expected.file} (${report.expected.rowCount} rows, ${order})`,
  );
  if (diff) {
    const block = (
      title: string,
      sign: string,
      style: 'red' | 'green',
      list: readonly Readonly<Record<string, Cell>>[],
    ) => {
      if (list.length === 0) return;
      lines.push(`  ${title}: ${list.length}`);
      for (const r of list.slice(0, SHOWN)) lines.push(paint(style, `    ${sign} ${show(r)}`));
      if (list.length > SHOWN) lines.push(`    … ${list.length - SHOWN} more`);
    };
    block('missing rows (expected, not produced)', '-', 'red', diff.missing);
    block('extra rows (produced, not expected)', '+', 'green', diff.extra);
    if (diff.changed.length > 0) {
      lines.push(`  changed rows: ${diff.changed.length}`);
      for (const c of diff.changed.slice(0, SHOWN)) {
        const cells = c.cells.map(
          (x) =>
            `${x.column}: expected ${x.expected === null ? 'NULL' : JSON.stringify(x.expected)}, got ${x.actual === null ? 'NULL' : JSON.stringify(x.actual)}`,
        );
        lines.push(paint('yellow', `    ~ ${show(c.key)}: ${cells.join('; ')}`));
      }
    }
    if (diff.order) {
      lines.push(`  same rows in another order; first difference at row ${diff.order.index + 1}:`);
      lines.push(paint('red', `    - ${show(diff.order.expected)}`));
      lines.push(paint('green', `    + ${show(diff.order.actual)}`));
    }
  }
  return lines.join('\n') + '\n';
}
