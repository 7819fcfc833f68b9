// Public surface of @hekima/platform-core. Named exports only.
export type { Finding, Severity, Position, TextRange, TextEdit, Fix, FindingProduct } from './domain/finding.js';
export { compareFindings, hasErrors } from './domain/finding.js';
export {
  MANIFEST_KINDS,
  MANIFEST_FILES,
  KIND_OF_FILE,
  WORKSPACE_CONFIG_FILE,
  resolveKindName,
  schemaOf,
  schemaFileName,
} from './domain/manifest/kinds.js';
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
export type {
  ValidationDeps,
  ValidationReport,
  ProductFindings,
  ChangeResult,
} from './application/validate/validation-session.js';
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
export {
  TENANT_STATES,
  TENANT_TRANSITIONS,
  isTenantSlug,
  canTransition,
  assertCanDeploy,
  assertCanRun,
  assertCanRead,
} from './domain/catalog/tenant.js';
export type { Tenant, TenantState, NewTenant } from './domain/catalog/tenant.js';
export { parseSecretInput, redactConfig } from './domain/catalog/connection.js';
export type { Connection, NewConnection, SecretInput, SecretRef } from './domain/catalog/connection.js';
export type { Team, NewTeam } from './domain/catalog/team.js';
export type { Product, NewProduct, ProductVersion, NewProductVersion } from './domain/catalog/product.js';
export type { Deployment, DeploymentState, NewDeployment } from './domain/catalog/deployment.js';
export { EXECUTION_STATES, TERMINAL_EXECUTION_STATES } from './domain/catalog/execution.js';
export type {
  Execution,
  ExecutionState,
  ExecutionStep,
  ExecutionTransition,
  NewExecution,
} from './domain/catalog/execution.js';
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
export type {
  ProductPlan,
  HashedPlan,
  InputBinding,
  TransformPlan,
  QualityCheckPlan,
  ServingWriterPlan,
  PlanColumn,
} from './domain/plan/product-plan.js';
export { testProduct } from './application/test-product/test-product.js';
export type {
  ProductTestReport,
  TestProductRequest,
  TestProductDeps,
} from './application/test-product/test-product.js';
export type { OutputDiff } from './application/test-product/compare-output.js';
export { runTransform } from './application/transform/run-transform.js';
export { productLogic } from './application/transform/product-logic.js';
export type * from './ports/engine.js';
export type * from './ports/python-runner.js';
// Durable executions, workers and the correlation engine (issue 4, docs/adr/0009).
export {
  EXECUTION_TRANSITIONS,
  EXECUTION_PHASES,
  canTransitionExecution,
  isTerminalState,
} from './domain/execution/execution-lifecycle.js';
export type { ExecutionPhase } from './domain/execution/execution-lifecycle.js';
export {
  DEFAULT_EXECUTION_RETRY,
  retryPolicyFromCompute,
  retryDelayMs,
  decideRetry,
} from './domain/execution/execution-retry.js';
export type { ExecutionRetryPolicy, RetryDecision } from './domain/execution/execution-retry.js';
export { akoScore, akoScorePolicy, fifoPolicy, placementPolicy } from './domain/execution/placement.js';
export type { PlacementPolicy, PlacementCandidate } from './domain/execution/placement.js';
export { requirementsFromCompute, explainNoFit } from './domain/execution/resources.js';
export type { ResourceRequirements, WorkerCapacity } from './domain/execution/resources.js';
export { buildSubscriptionMap } from './domain/orchestration/subscription-map.js';
export type { ConsumerSpec, InputSpec, SubscriptionMap } from './domain/orchestration/subscription-map.js';
export type { Correlation, CorrelationState, InputState } from './domain/orchestration/correlation.js';
export type * from './ports/execution-queue.js';
export type * from './ports/execution-handler.js';
export type * from './ports/correlation-store.js';
export type { Clock } from './ports/clock.js';
export { ExecutionWorker } from './application/executions/execution-worker.js';
export type { ExecutionWorkerOptions } from './application/executions/execution-worker.js';
export { WorkerPool } from './application/executions/worker-pool.js';
export { CorrelationEngine } from './application/orchestration/correlation-engine.js';
export type { CorrelationOutcome } from './application/orchestration/correlation-engine.js';
export { CorrelationSensors } from './application/orchestration/correlation-sensors.js';
export type { ExecutionBackbone } from './composition.js';
// The lake, snapshots and quality gates (issue 5, docs/adr/0011).
export type * from './ports/lake.js';
export type * from './ports/check-engine.js';
export { SNAPSHOT_STATES, DEFAULT_SNAPSHOT_RETENTION, isVisibleSnapshot } from './domain/lake/snapshot.js';
export type { Snapshot, SnapshotState, NewSnapshot, SnapshotCommit } from './domain/lake/snapshot.js';
export { snapshotLocation, snapshotsFolder, tenantFolder } from './domain/lake/lake-path.js';
export type { SnapshotAddress } from './domain/lake/lake-path.js';
export { CHECK_STATUSES, qualityScore, gateOutcome, severityOf, isFailing } from './domain/quality/quality-result.js';
export type {
  CheckOutcome,
  CheckStatus,
  CheckSeverity,
  GateOutcome,
  QualityResult,
  NewQualityResult,
  SampleRow,
} from './domain/quality/quality-result.js';
export { MASKED, mayRead, maskRows } from './domain/quality/masking.js';
export { downstreamSkips } from './domain/quality/downstream-skips.js';
export type { DownstreamSkip, ProductNode } from './domain/quality/downstream-skips.js';
export { writeSnapshot } from './application/lake/write-snapshot.js';
export type { SnapshotTarget, StagedSnapshot, LakeDeps } from './application/lake/write-snapshot.js';
export { commitSnapshot, discardSnapshot } from './application/lake/commit-snapshot.js';
export type { CommitOptions, CommitResult } from './application/lake/commit-snapshot.js';
export { retainSnapshots } from './application/lake/retain-snapshots.js';
export type { RetentionReport } from './application/lake/retain-snapshots.js';
export { sweepLake } from './application/lake/sweep-lake.js';
export type { SweepRequest, SweepReport } from './application/lake/sweep-lake.js';
export { readableSnapshot } from './application/lake/read-snapshot.js';
export type { ReadableSnapshot, SnapshotSelector } from './application/lake/read-snapshot.js';
export { runQualityGate, assertGatePassed } from './application/quality/run-quality-gate.js';
export type { QualityGateDeps, QualityGateRequest } from './application/quality/run-quality-gate.js';
export { gateSnapshot } from './application/quality/gate-snapshot.js';
export type { GateSnapshotDeps, GateSnapshotRequest, GatedSnapshot } from './application/quality/gate-snapshot.js';
export { referenceSnapshots, referencedProducts } from './application/quality/reference-snapshots.js';
export { recordGate } from './application/quality/record-gate.js';
// Connectors and ingestion (issue 5, ADR 0012).
export type {
  Connector,
  Connectors,
  ConnectorState,
  Extract,
  ExtractColumn,
  ExtractInput,
  ExtractMerger,
  ExtractMode,
  ExtractProfile,
  ExtractProfiler,
  ExtractRequest,
  ResolvedConnection,
} from './ports/connector.js';
export { DIFF_OP_COLUMN } from './ports/connector.js';
export { ingest } from './application/ingest/ingest.js';
export type {
  ConnectorInput,
  ConnectionSettings,
  IngestDeps,
  IngestRequest,
  IngestResult,
} from './application/ingest/ingest.js';
export { testConnection, workspaceConnections } from './application/ingest/test-connection.js';
export type { ConnectionTestDeps, ConnectionTestResult } from './application/ingest/test-connection.js';
export { columnsReadFrom } from './application/ingest/expected-columns.js';
export { evaluateFitness } from './domain/ingestion/fitness.js';
export type { FitnessDeclaration, FitnessResult } from './domain/ingestion/fitness.js';
export { resolveConfigSecrets } from './domain/ingestion/resolve-connection.js';
// Events, DLQ and audit (issue 4; docs/adr/0008).
export type {
  EventBus,
  EventHandler,
  EventToPublish,
  PublishedEvent,
  Delivery,
  SubscribeOptions,
  Subscription,
  RepublishOptions,
} from './ports/event-bus.js';
export type { DomainEvent, EventPayload } from './domain/events/domain-event.js';
export { EVENT_TYPES, isEventType } from './domain/events/event-types.js';
export type { EventType } from './domain/events/event-types.js';
export { parseEvent } from './domain/events/parse-event.js';
export type { EventParseFailure, EventParseResult } from './domain/events/parse-event.js';
export {
  dataAvailableTopic,
  executionEventsTopic,
  governanceTopic,
  dlqTopic,
  routeEvent,
} from './domain/events/topics.js';
export { sensorGroup, governanceGroup, dlqMonitorGroup, auditGroup } from './domain/events/consumer-groups.js';
export { DEFAULT_RETRY_POLICY, backoffDelay, retryPolicy } from './domain/events/retry-policy.js';
export type { RetryPolicy } from './domain/events/retry-policy.js';
export { listDlq, showDlq, replayDlq, ackDlq, purgeDlq } from './application/dlq/dlq-operations.js';
export { subscribeAuditTrail, catchUpAuditTrail } from './application/audit/audit-consumer.js';
export { AuditConsumers } from './application/audit/audit-consumers.js';
export { listAudit, verifyAudit } from './application/audit/audit-queries.js';
// Serving stores and `hekima query` (docs/adr/0013).
export { SERVING_ENDPOINT_TYPES } from './ports/serving-store.js';
export type {
  ServingStore,
  ServingStores,
  ServingEndpointType,
  ProjectionRequest,
  ProjectionResult,
  ProjectionStatus,
  ServedReadRequest,
  ServedRows,
  ServedRow,
  ServedRowSource,
  ServedFilter,
} from './ports/serving-store.js';
export { projectSnapshot } from './application/serving/project-snapshot.js';
export type { ServingDeps, ProjectRequest, ProjectReport } from './application/serving/project-snapshot.js';
export { queryProduct, DEFAULT_CLEARANCE } from './application/serving/query-product.js';
export type { QueryRequest, QueryResult } from './application/serving/query-product.js';
export { servingPlan } from './application/serving/serving-plan.js';
export { buildLineage, type LineageRequest, type LineageResult } from './application/lineage/lineage-graph.js';
export { productLineage, type ProductLineage, type InputColumnEdge } from './application/lineage/product-lineage.js';
export { lineageToMermaid, lineageToText } from './application/lineage/render-lineage.js';
export type { LineageGraph, LineageNode, LineageEdge } from './domain/lineage/lineage-graph.js';
