// Public surface of @hekima/platform-core. Named exports only.
export type { Finding, Severity, Position, TextRange, TextEdit, Fix, FindingProduct } from './domain/finding.js';
export { compareFindings, hasErrors } from './domain/finding.js';
export { MANIFEST_KINDS, MANIFEST_FILES, KIND_OF_FILE, WORKSPACE_CONFIG_FILE, resolveKindName, schemaOf, schemaFileName } from './domain/manifest/kinds.js';
export type { ManifestKind } from './domain/manifest/kinds.js';
export { jsonSchemaOf, jsonSchemaText } from './domain/manifest/json-schema.js';
export type { ProductManifest } from './domain/manifest/schemas/product.js';
export type { InputsManifest, InputDeclaration } from './domain/manifest/schemas/inputs.js';
export type { OutputManifest, ColumnDeclaration } from './domain/manifest/schemas/output.js';
export type { ServingManifest, EndpointDeclaration } from './domain/manifest/schemas/serving.js';
export type { QualityManifest, CheckDeclaration } from './domain/manifest/schemas/quality.js';
export type { ComputeManifest } from './domain/manifest/schemas/compute.js';
export type { WorkspaceConfig, ConnectionDeclaration } from './domain/manifest/schemas/workspace-config.js';
export { parseKeyTemplate } from './domain/key-template.js';
export { applyEdits, applyFix } from './domain/text-edits.js';
export { parseColumnType, isNumericType, formatColumnType } from './domain/column-type.js';
export type { ColumnType } from './domain/column-type.js';
export { ValidationSession } from './application/validate/validation-session.js';
export type { ValidationDeps, ValidationReport, ProductFindings, ChangeResult } from './application/validate/validation-session.js';
export { validateWorkspace, summarize } from './application/validate/validate-workspace.js';
export type { ValidateResult, ValidateRequest } from './application/validate/validate-workspace.js';
export { ALL_RULES, ruleByCode } from './application/validate/rules/index.js';
export type { Rule, RuleInfo, RuleTier, RuleFamily } from './application/validate/rule.js';
export type { WorkspaceFiles } from './ports/workspace-files.js';
export type { SqlAnalyzer, SqlAnalysis } from './ports/sql-analyzer.js';
export type {
  CheckExpressions,
  ExpressionColumns,
  ExpressionProblem,
  ExpressionEvaluation,
  ExpressionValue,
} from './ports/check-expressions.js';
export { checkResultColumns } from './application/validate/check-result-columns.js';
export type { DocumentParser, SourceDocument } from './ports/source-document.js';
export { createPlatform } from './composition.js';
export type { Platform, PlatformOverrides } from './composition.js';
export { NodeWorkspaceFiles } from './adapters/fs/node-workspace-files.js';
export { resolveTarget } from './adapters/fs/workspace-root.js';
export { runCli } from './cli/main.js';
export type { CliIO } from './cli/output.js';
// Runtime backbone: errors, configuration, catalog (issue 4).
export {
  HekimaError,
  ERROR_KINDS,
  RETRYABLE_BY_KIND,
  isHekimaError,
  hasErrorKind,
  isRetryable,
  errorFromJSON,
  transient,
  rateLimited,
  authExpired,
  permanent,
  schemaIncompatible,
  qualityGateFailed,
  cancelled,
  notFound,
  conflict,
  invalidState,
  invalidArgument,
  forbidden,
  throwIfAborted,
} from './domain/errors.js';
export type { ErrorKind, ErrorJSON, HekimaErrorOptions } from './domain/errors.js';
export { SecretValue, isSecretValue, REDACTED } from './domain/secret-value.js';
export type { JsonValue, JsonObject } from './domain/json.js';
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, encodeCursor, decodeCursor } from './domain/pagination.js';
export type { Page, PageInfo, PageRequest } from './domain/pagination.js';
export { TENANT_STATES, TENANT_TRANSITIONS, isTenantSlug, canTransition, assertCanDeploy, assertCanRun, assertCanRead } from './domain/catalog/tenant.js';
export type { Tenant, TenantState, NewTenant } from './domain/catalog/tenant.js';
export { parseSecretInput, redactConfig } from './domain/catalog/connection.js';
export type { Connection, NewConnection, SecretInput, SecretRef } from './domain/catalog/connection.js';
export type { Team, NewTeam } from './domain/catalog/team.js';
export type { Product, NewProduct, ProductVersion, NewProductVersion } from './domain/catalog/product.js';
export type { Deployment, DeploymentState, NewDeployment } from './domain/catalog/deployment.js';
export { EXECUTION_STATES, TERMINAL_EXECUTION_STATES } from './domain/catalog/execution.js';
export type { Execution, ExecutionState, ExecutionStep, ExecutionTransition, NewExecution } from './domain/catalog/execution.js';
export type { EventEnvelope, OutboxEvent, NewOutboxEvent } from './domain/catalog/outbox-event.js';
export { DLQ_STAGES, DLQ_STATUSES } from './domain/catalog/dlq-entry.js';
export type { DlqEntry, DlqStage, DlqStatus, NewDlqEntry } from './domain/catalog/dlq-entry.js';
export type { AuditEntry, AuditFilter, NewAuditEntry } from './domain/catalog/audit-entry.js';
export type * from './ports/catalog.js';
export type { SqlDatabase, SqlExecutor, AdminExecutor, SqlParam, SqlResult, SqlRow } from './ports/sql-database.js';
export type { Logger, LogMeta } from './ports/logger.js';
export { loadConfig } from './config.js';
export type { HekimaConfig, CatalogConfig, LoadConfigOptions } from './config.js';
// Plans and the engine (issue 5).
export { generatePlans, planHash, hashPlan } from './application/generate/generate-plans.js';
export type { GenerateRequest, GenerateResult, PlanFile } from './application/generate/generate-plans.js';
export { canonicalJson } from './domain/plan/canonical-json.js';
export { PLAN_API_VERSION, OUTPUT_RELATION, referenceRelation } from './domain/plan/product-plan.js';
export type { ProductPlan, HashedPlan, InputBinding, TransformPlan, QualityCheckPlan, ServingWriterPlan, PlanColumn } from './domain/plan/product-plan.js';
export { testProduct } from './application/test-product/test-product.js';
export type { ProductTestReport, TestProductRequest, TestProductDeps } from './application/test-product/test-product.js';
export type { OutputDiff } from './application/test-product/compare-output.js';
export { runTransform } from './application/transform/run-transform.js';
export { productLogic } from './application/transform/product-logic.js';
export type * from './ports/engine.js';
export type * from './ports/python-runner.js';
