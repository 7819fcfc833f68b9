import type { Finding, Fix, Severity, TextRange } from '../../domain/finding.js';
import type { ManifestKind } from '../../domain/manifest/kinds.js';
import type { RangePart } from '../../ports/source-document.js';
import type { SqlAnalyzer } from '../../ports/sql-analyzer.js';
import type { CheckExpressions } from '../../ports/check-expressions.js';
import type { PathPatterns } from '../../ports/path-patterns.js';
import type { ProductUnit } from './product-unit.js';
import type { WorkspaceIndex } from './workspace-index.js';
import type { SqlLogic } from './logic-context.js';

export type RuleFamily =
  | 'manifest'
  | 'schema'
  | 'product'
  | 'inputs'
  | 'output'
  | 'serving'
  | 'quality'
  | 'compute'
  | 'dependency'
  | 'logic'
  | 'connector'
  | 'workspace'
  | 'style';

/** fast: runs with --fast (schema only); full: the default; strict: only with --strict. */
export type RuleTier = 'fast' | 'full' | 'strict';

export interface RuleInfo {
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
  readonly family: RuleFamily;
  readonly tier: RuleTier;
  /** For `hekima explain`: why the rule exists, a bad and a good example. */
  readonly explain: { readonly why: string; readonly bad: string; readonly good: string };
}

/** Where a finding points: a manifest node, or a range in another file of the product. */
export type Target =
  | { readonly kind: ManifestKind; readonly path: string; readonly part?: RangePart }
  | { readonly file: string; readonly range: TextRange; readonly path?: string };

export interface ReportOptions {
  readonly hint: string;
  readonly severity?: Severity;
  readonly fix?: Fix;
}

export interface ProductRuleContext {
  readonly unit: ProductUnit;
  readonly index: WorkspaceIndex;
  readonly sql: SqlAnalyzer;
  /** The expect language of custom_sql checks. */
  readonly expressions: CheckExpressions;
  /** File-name patterns (globs) of `file` inputs; undefined when the validator was built without them. */
  readonly patterns?: PathPatterns;
  /** The SQL logic with its analysis (computed once per product), or undefined when not SQL or absent. */
  sqlLogic(): SqlLogic | undefined;
  report(target: Target, message: string, options: ReportOptions): void;
  /** A fix that replaces the scalar at a manifest pointer with new text. */
  replaceFix(kind: ManifestKind, path: string, newText: string, title: string): Fix | undefined;
}

export interface WorkspaceRuleContext {
  readonly index: WorkspaceIndex;
  report(unit: ProductUnit, target: Target, message: string, options: ReportOptions): void;
  /** A finding about hekima.yaml (dropped when the workspace has none). */
  reportWorkspace(
    target: { readonly path: string; readonly part?: RangePart },
    message: string,
    options: ReportOptions,
  ): void;
  replaceFix(unit: ProductUnit, kind: ManifestKind, path: string, newText: string, title: string): Fix | undefined;
}

/** Runs once per product; its findings depend on the product and on what `dependsOn` names. */
export interface ProductRule extends RuleInfo {
  readonly scope: 'product';
  check(ctx: ProductRuleContext): void;
}

/** Runs over the whole product graph (cheap summaries only). */
export interface WorkspaceRule extends RuleInfo {
  readonly scope: 'workspace';
  check(ctx: WorkspaceRuleContext): void;
}

/** A code reported by the loader or the schema pass rather than by a check function. */
export interface BuiltinRule extends RuleInfo {
  readonly scope: 'builtin';
}

export type Rule = ProductRule | WorkspaceRule | BuiltinRule;

export function defineRule<R extends Rule>(rule: R): R {
  return rule;
}

export type FindingSink = (finding: Finding) => void;
