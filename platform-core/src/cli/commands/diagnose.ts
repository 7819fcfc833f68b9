import { diagnoseExecution } from '../../application/diagnose/diagnose-execution.js';
import { downstreamProducts } from '../../application/diagnose/blast-radius.js';
import { ValidationSession } from '../../application/validate/validation-session.js';
import type { Platform } from '../../composition.js';
import type { Diagnosis } from '../../domain/diagnosis/diagnosis.js';
import { EXIT, painter, type CliIO } from '../output.js';
import { reader } from './executions.js';
import { printJson, withWorkspaceRuntime, type WorkspaceOptions } from './workspace-runtime.js';

export interface DiagnoseOptions extends WorkspaceOptions {
  readonly product?: string;
  /** The reader's clearance for check samples and values (default: HEKIMA_CLEARANCE / hekima.yaml, else internal). */
  readonly clearance?: string;
}

/**
 * `hekima diagnose [ID] [--product P] [--json]`: why an execution failed, where in the workspace,
 * the failing checks masked per the reader's clearance, and what to do next. Exit 0 with a report,
 * 1 when there is nothing to diagnose, 2 for bad usage.
 */
export async function runDiagnose(
  io: CliIO,
  base: Platform,
  id: string | undefined,
  options: DiagnoseOptions,
): Promise<number> {
  return withWorkspaceRuntime(io, base, options, 'diagnose', async (rt) => {
    const report = await diagnoseExecution(
      {
        catalog: rt.catalog,
        files: rt.platform.validationDeps(rt.root).files,
        root: rt.root,
        // Validating the workspace takes a moment: only when there is a failure to explain.
        downstream: async (product) =>
          downstreamProducts(await ValidationSession.open(rt.platform.validationDeps(rt.root), 'full'), product),
      },
      reader(io, rt, options, 'diagnose'),
      { ...(id !== undefined ? { executionId: id } : {}), ...(options.product ? { product: options.product } : {}) },
    );
    if (!report) {
      const of = options.product ? `product ${options.product}` : `tenant ${rt.tenant.slug}`;
      if (options.json) printJson(io, { execution: null, message: `no failed execution of ${of}` });
      else io.stdout.write(`Nothing to diagnose: no failed execution of ${of}.\n`);
      return EXIT.findings;
    }
    if (options.json) printJson(io, report);
    else io.stdout.write(diagnosisText(report, painter(io)));
    return EXIT.ok;
  });
}

/** The report for people: compact, the primary location first with its excerpt. */
export function diagnosisText(d: Diagnosis, paint: ReturnType<typeof painter>): string {
  const out: string[] = [];
  const state = d.status === 'failed' ? paint('red', d.status) : d.status;
  out.push(
    `${paint('bold', d.product)} ${d.version}  execution ${d.execution}  ${state}  trigger ${d.trigger}  attempt ${d.attempts.made}/${d.attempts.max}`,
  );
  if (d.error) {
    out.push(`step:  ${d.step ?? '-'}`);
    out.push(`error: ${d.error.class} ${d.error.code} (${d.error.retryable ? 'retryable' : 'not retryable'})`);
    out.push(`       ${d.error.message}`);
  }
  if (d.steps.length > 0)
    out.push(
      `steps: ${d.steps.map((s) => `${s.name} ${s.status}${s.ms !== undefined ? ` ${s.ms} ms` : ''}`).join(', ')}`,
    );
  for (const l of d.locations) {
    out.push(`${paint('cyan', `${l.file}:${l.line}${l.column ? `:${l.column}` : ''}`)}  ${l.what}`);
    if (l.excerpt) out.push(l.excerpt.replace(/^/gm, '    '));
  }
  for (const c of d.evidence.checks) {
    out.push(
      `check ${c.name} (${c.type}): measured ${JSON.stringify(c.measured)}, threshold ${JSON.stringify(c.threshold)}`,
    );
    out.push(`    ${c.message}`);
    for (const row of c.samples) out.push(`    ${JSON.stringify(row)}`);
  }
  if (d.evidence.masked.length > 0) out.push(`masked for your clearance: ${d.evidence.masked.join(', ')}`);
  if (d.blast_radius) {
    const b = d.blast_radius;
    const served = b.served
      ? `still serves snapshot ${b.served.snapshot.slice(0, 8)}${b.served.committed_at ? ` (committed ${b.served.committed_at})` : ''}`
      : 'serves nothing: it never succeeded';
    out.push(
      `blast radius: ${b.downstream.length > 0 ? `downstream ${b.downstream.join(', ')}` : 'no downstream product'}; ${d.product} ${served}`,
    );
  }
  out.push(`next:  ${d.next.advice}`);
  out.push(`       ${paint('bold', d.next.command)}`);
  return `${out.join('\n')}\n`;
}
