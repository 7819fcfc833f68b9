import { compareFindings, type Finding } from '../../domain/finding.js';
import type { ValidationDeps, ValidationReport } from './validation-session.js';
import { ValidationSession } from './validation-session.js';
import type { RuleTier } from './rule.js';

export interface ValidateRequest {
  readonly tier: RuleTier;
  /** '' for the whole workspace, a product folder, or one file, relative to the root. */
  readonly scope: string;
  readonly signal?: AbortSignal;
}

export interface ValidateResult {
  readonly valid: boolean;
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
  readonly infos: readonly Finding[];
  /** Products validated (in scope). */
  readonly productCount: number;
  readonly report: ValidationReport;
}

/** Validates a workspace and keeps the findings of the requested scope. */
export async function validateWorkspace(deps: ValidationDeps, request: ValidateRequest): Promise<ValidateResult> {
  const session = await ValidationSession.open(deps, request.tier, request.signal);
  const report = session.validateAll(request.signal);
  return summarize(report, request.scope);
}

export function inScope(finding: Finding, scope: string): boolean {
  if (scope === '') return true;
  if (scope === '.') return finding.product?.folder === '.' || !finding.file.includes('/');
  if (finding.file === scope || finding.file.startsWith(scope + '/')) return true;
  return finding.product?.folder === scope;
}

export function summarize(report: ValidationReport, scope: string): ValidateResult {
  const kept = report.findings.filter((f) => inScope(f, scope)).sort(compareFindings);
  const products =
    scope === ''
      ? report.products.length
      : report.products.filter(
          (p) => p.folder === scope || scope.startsWith(p.folder + '/') || p.folder.startsWith(scope + '/'),
        ).length;
  const errors = kept.filter((f) => f.severity === 'error');
  return {
    valid: errors.length === 0,
    errors,
    warnings: kept.filter((f) => f.severity === 'warning'),
    infos: kept.filter((f) => f.severity === 'info'),
    productCount: products,
    report,
  };
}
