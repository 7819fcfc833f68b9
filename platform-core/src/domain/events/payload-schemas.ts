import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import { CLASSIFICATIONS } from '../classification.js';
import { DLQ_STAGES } from '../catalog/dlq-entry.js';
import { CHECK_SEVERITIES } from '../manifest/schemas/quality.js';
import { CHECK_STATUSES } from '../quality/quality-result.js';
import type { EventType } from './event-types.js';

/**
 * The payload of every event type (seed 001, "Key Payload Fields"), one TypeBox schema each. Key
 * fields are required; a few optional ones carry what the platform's own consumers need (window,
 * snapshot details). Unknown extra fields are allowed: producers may add fields before consumers
 * know them (forward compatible); removing or retyping a field is a new event type.
 */
const Payload = <P extends TProperties>(description: string, props: P): TObject<P> =>
  Type.Object(props, { additionalProperties: true, description });

/** A closed set of strings (a union of literals: compiles and checks like any other TypeBox type). */
const Enum = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  ) as unknown as TSchema & { static: T };

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });
const Text = (description: string) => Type.String({ minLength: 1, description });
const Instant = (description: string) =>
  Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2}))?$',
    description,
  });
const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Measure = (description: string) => Type.Union([Type.Number(), Type.String({ minLength: 1 })], { description });
const ProductId = Id('The product (catalog id or name).');
const ProductName = Type.Optional(Id('The product name (metadata.name), when the id is a catalog id.'));

/**
 * What a quality event says about its check (optional: older events lack them). `measured` is left
 * out of a check whose value may be data (custom_sql, custom_python) unless the product's highest
 * column classification is public; `measured_withheld` then names that classification.
 */
const CHECK_DETAIL = {
  product_name: ProductName,
  execution_id: Type.Optional(Id('The execution whose snapshot was checked.')),
  snapshot_id: Type.Optional(Id('The snapshot checked.')),
  check_type: Type.Optional(Text('The check type (volume, completeness, custom_sql…).')),
  status: Type.Optional(Enum(CHECK_STATUSES, 'passed, failed, error (the check could not run) or skipped.')),
  measured: Type.Optional(Type.Unknown({ description: 'The measured value (a count, a fraction, an age…).' })),
  measured_withheld: Type.Optional(
    Enum(CLASSIFICATIONS, 'Why `measured` is absent: the classification it could carry.'),
  ),
  threshold: Type.Optional(Type.Unknown({ description: 'What it was compared with (from quality.yaml).' })),
  downstream_affected: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), {
      description: 'Products reading this one (transitively), nearest first.',
    }),
  ),
};

export const PAYLOAD_SCHEMAS = {
  ProductRegistered: Payload('A product was created.', {
    product_id: ProductId,
    name: Text('Product name (metadata.name).'),
    namespace: Text('Namespace (domain) of the product.'),
    archetype: Text('source, aggregate or consumer.'),
  }),
  ProductDeployed: Payload('A product version was deployed.', {
    product_id: ProductId,
    product_name: ProductName,
    version: Text('Deployed semantic version.'),
    manifest_hash: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the manifests.' }),
  }),
  ProductUpdated: Payload('Product metadata changed.', {
    product_id: ProductId,
    changed_fields: Type.Array(Type.String({ minLength: 1 }), { description: 'Changed fields.' }),
  }),
  ProductDeprecated: Payload('A product was marked for deprecation.', {
    product_id: ProductId,
    deprecation_date: Instant('Date of deprecation (ISO 8601).'),
  }),
  ProductDeleted: Payload('A product was permanently removed.', { product_id: ProductId }),
  ExecutionStarted: Payload('A pipeline execution began.', {
    execution_id: Id('The execution.'),
    product_id: ProductId,
    partition_key: Type.String({ description: 'Window / partition the run materialises ("" when none).' }),
  }),
  ExecutionCompleted: Payload('A pipeline execution succeeded.', {
    execution_id: Id('The execution.'),
    product_id: Type.Optional(ProductId),
    duration_ms: Count('Wall time of the run.'),
    row_count: Count('Rows written.'),
  }),
  ExecutionFailed: Payload('A pipeline execution failed after its retries.', {
    execution_id: Id('The execution.'),
    product_id: Type.Optional(ProductId),
    error: Type.Union([Text('Error message.'), Type.Object({ code: Type.String(), message: Type.String() })], {
      description: 'The error (code and message).',
    }),
    retry_count: Count('Retries made before giving up.'),
  }),
  DataAvailable: Payload('New data was materialised, quality-checked and promoted.', {
    product_id: ProductId,
    product_name: ProductName,
    snapshot_id: Id('The committed snapshot.'),
    freshness: Instant('As-of time of the data (ISO 8601).'),
    window_id: Type.Optional(Type.String({ description: 'Window of the data (e.g. 2026-11-23), for correlation.' })),
    version: Type.Optional(Text('Product version that produced it.')),
    row_count: Type.Optional(Count('Rows in the snapshot.')),
  }),
  QualityCheckCompleted: Payload('A quality gate was evaluated.', {
    product_id: ProductId,
    check_name: Text('The check (quality.yaml).'),
    passed: Type.Boolean(),
    severity: Enum(CHECK_SEVERITIES, 'error (blocking) or warn.'),
    ...CHECK_DETAIL,
  }),
  QualityCheckFailed: Payload('A blocking quality check failed.', {
    product_id: ProductId,
    check_name: Text('The check (quality.yaml).'),
    error_detail: Text('What failed.'),
    severity: Type.Optional(Enum(CHECK_SEVERITIES, 'error (blocking) or warn.')),
    ...CHECK_DETAIL,
  }),
  SlaBreached: Payload('A freshness, quality, duration or availability SLA was exceeded.', {
    product_id: ProductId,
    sla_type: Text('freshness, quality_score, duration or availability.'),
    threshold: Measure('The SLA bound.'),
    actual: Measure('The measured value.'),
  }),
  ClassificationViolation: Payload('An attempt to launder classified data.', {
    product_id: ProductId,
    declared: Enum(CLASSIFICATIONS, 'Declared classification.'),
    required: Enum(CLASSIFICATIONS, 'Classification the inputs require.'),
  }),
  RetentionExpired: Payload('Data exceeds its retention period.', {
    product_id: ProductId,
    retention_period: Text('Retention (duration).'),
    oldest_record: Instant('Oldest record kept (ISO 8601).'),
  }),
  DeletionRequested: Payload('A right-to-erasure request was filed.', {
    request_id: Type.Optional(Id('The request.')),
    entity_type: Text('Kind of identity (e.g. customer).'),
    identity_value: Text('Identity to erase (a reference; never logged).'),
    reason: Text('Legal ground.'),
  }),
  DeletionCompleted: Payload('An erasure was executed and verified.', {
    request_id: Id('The request.'),
    products_affected: Type.Array(Type.String({ minLength: 1 })),
    rows_deleted: Count('Rows removed.'),
  }),
  ConceptCreated: Payload('A business concept was extracted.', {
    concept_name: Text('Concept.'),
    domain: Text('Business domain.'),
    source_product: Text('Product it came from.'),
  }),
  ConceptPromoted: Payload('A concept matured.', {
    concept_name: Text('Concept.'),
    from_state: Text('Previous maturity.'),
    to_state: Text('New maturity.'),
  }),
  SemanticContractBroken: Payload('An upstream removed an intent a downstream reads.', {
    contract_id: Id('The contract.'),
    upstream_product: Text('Upstream product.'),
    downstream_products: Type.Array(Type.String({ minLength: 1 })),
  }),
  SemanticContractStale: Payload('Upstream values changed since the contract was compiled.', {
    contract_id: Id('The contract.'),
    upstream_product: Text('Upstream product.'),
  }),
  ConnectionCreated: Payload('An external connection was registered.', {
    connection_id: Id('The connection.'),
    connector_type: Text('Connector (postgres, http, file…).'),
  }),
  EventDeadLettered: Payload('An event was parked in the DLQ after its retries (platform event).', {
    dlq_entry_id: Id('The DLQ entry.'),
    stage: Enum(DLQ_STAGES, 'Stage that failed.'),
    consumer_group: Type.Optional(Text('Consumer group whose handler failed.')),
    original_event_id: Type.Optional(Text('The parked event, when it could be read.')),
    original_event_type: Type.Optional(Text('Its type, when known.')),
    error_code: Text('Error code.'),
    attempts: Count('Attempts made.'),
  }),
} as const satisfies Record<EventType, TObject>;

export type EventPayloads = { [K in EventType]: Static<(typeof PAYLOAD_SCHEMAS)[K]> };
