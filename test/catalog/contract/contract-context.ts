import { createHash } from 'node:crypto';
import type { TestCatalog } from '../support/test-databases.js';
import type { Tenant } from '../../../platform-core/src/domain/catalog/tenant.js';
import { SecretValue } from '../../../platform-core/src/domain/secret-value.js';

/** Ids of everything seeded for one tenant (the same names in both tenants, on purpose). */
export interface SeededTenant {
  readonly tenant: Tenant;
  readonly teamId: string;
  readonly connectionId: string;
  readonly productId: string;
  readonly versionId: string;
  readonly deploymentId: string;
  readonly executionId: string;
  readonly eventId: string;
  readonly dlqId: string;
  readonly auditId: string;
  readonly snapshotId: string;
  readonly secretPlaintext: string;
}

export interface ContractContext extends TestCatalog {
  readonly a: SeededTenant;
  readonly b: SeededTenant;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Creates and activates a tenant through the control plane. */
export async function activeTenant(t: TestCatalog, slug: string): Promise<Tenant> {
  const created = await t.catalog.tenants.create({ slug, displayName: slug.toUpperCase() });
  return t.catalog.tenants.transition(created.id, 'ACTIVE', 'test set-up');
}

/** One tenant with a row in every tenant table, all written through the repositories where they exist. */
export async function seedTenant(t: TestCatalog, slug: string): Promise<SeededTenant> {
  const tenant = await activeTenant(t, slug);
  const secretPlaintext = `pw-${slug}-${Math.random().toString(36).slice(2)}`;
  return t.catalog
    .transaction(tenant.id, async (tx) => {
      const team = await tx.teams.create({ name: 'finance', members: ['ada'] });
      const connection = await tx.connections.create({
        name: 'warehouse',
        connectorType: 'postgres',
        teamId: team.id,
        config: { host: 'db.internal', port: 5432, password: 'env:WAREHOUSE_PASSWORD' },
        secrets: { password: SecretValue.of(secretPlaintext), token: { env: 'WAREHOUSE_TOKEN' } },
      });
      const product = await tx.products.register({ name: 'daily-revenue', teamId: team.id, archetype: 'aggregate' });
      const manifests = { product: { name: 'daily-revenue' } };
      const version = await tx.products.addVersion({
        productId: product.id,
        version: '1.0.0',
        manifests,
        manifestHash: sha256(JSON.stringify(manifests)),
      });
      const deployment = await tx.deployments.create({
        productId: product.id,
        productVersionId: version.id,
        deployedBy: 'ada',
        plan: { hash: sha256('plan 1.0.0'), plan: { product: { name: 'daily-revenue', version: '1.0.0' } } },
      });
      const { execution } = await tx.executions.create({
        productId: product.id,
        productVersionId: version.id,
        deploymentId: deployment.id,
        trigger: 'manual',
        idempotencyKey: `${version.id}:2026-11-23`,
        windowId: '2026-11-23',
      });
      const event = await tx.events.append({
        eventType: 'ProductDeployed',
        productId: product.id,
        payload: { version: '1.0.0' },
      });
      const dlq = await tx.dlq.add({
        stage: 'execution',
        eventId: event.eventId,
        event: { x: 1 },
        error: { name: 'HekimaError', kind: 'Permanent', code: 'boom', message: 'boom', retryable: false },
        attempts: 5,
      });
      const audit = await tx.audit.append({
        seq: 1,
        eventId: event.eventId,
        eventType: event.eventType,
        payload: event.payload,
        occurredAt: event.timestamp,
        prevHash: '0'.repeat(64),
        hash: sha256(event.eventId),
      });
      return {
        tenant,
        teamId: team.id,
        connectionId: connection.id,
        productId: product.id,
        versionId: version.id,
        deploymentId: deployment.id,
        executionId: execution.id,
        eventId: event.eventId,
        dlqId: dlq.id,
        auditId: audit.id,
        secretPlaintext,
        snapshotId: '',
      };
    })
    .then(async (seeded) => {
      // Tables without a repository yet: written as the app role through raw SQL.
      const snapshotId = await t.db.withTenant(tenant.id, async (sql) => {
        await sql.query(
          `INSERT INTO execution_steps (tenant_id, execution_id, name, ordinal) VALUES ($1, $2, 'ingest', 1)`,
          [tenant.id, seeded.executionId],
        );
        const snap = await sql.query<{ id: string }>(
          `INSERT INTO snapshots (tenant_id, product_id, execution_id, location) VALUES ($1, $2, $3, 'lake/x') RETURNING id`,
          [tenant.id, seeded.productId, seeded.executionId],
        );
        const id = snap.rows[0]!.id;
        await sql.query(
          `INSERT INTO quality_results (tenant_id, product_id, execution_id, snapshot_id, check_name, severity, status) VALUES ($1, $2, $3, $4, 'not_null', 'error', 'passed')`,
          [tenant.id, seeded.productId, seeded.executionId, id],
        );
        await sql.query(
          `INSERT INTO consumer_offsets (tenant_id, consumer_group, topic, position) VALUES ($1, 'audit', 'governance', 1)`,
          [tenant.id],
        );
        await sql.query(
          `INSERT INTO consumed_events (tenant_id, consumer_group, event_id) VALUES ($1, 'audit', 'evt-seen')`,
          [tenant.id],
        );
        await sql.query(
          `INSERT INTO consumer_leases (tenant_id, consumer_group, owner, expires_at) VALUES ($1, 'audit', 'seed', now())`,
          [tenant.id],
        );
        await sql.query(
          `INSERT INTO correlations (tenant_id, product_id, window_id, state, consumer, opened_at) VALUES ($1, $2, '2026-11-23', 'open', '{}', now())`,
          [tenant.id, seeded.productId],
        );
        await sql.query(
          `INSERT INTO correlation_events (tenant_id, product_id, event_id) VALUES ($1, $2, 'evt-seen')`,
          [tenant.id, seeded.productId],
        );
        return id;
      });
      await t.catalog.forTenant(tenant.id).connectorStates.save({
        productId: seeded.productId,
        inputId: 'orders',
        state: { cursor: `2026-11-23-${slug}`, columns: [{ name: 'id', type: 'BIGINT' }] },
        snapshotId,
        expectedSnapshotId: null,
      });
      await t.catalog.forTenant(tenant.id).pendingProjections.record({
        productId: seeded.productId,
        endpoint: 'realtime',
        product: 'orders',
        version: '1.0.0',
        snapshotId,
        committedAt: '2026-11-23T00:00:00.000Z',
        request: { columns: [], writer: { type: 'realtime', store: 'redis' } },
      });
      return { ...seeded, snapshotId };
    });
}

/** Every tenant-scoped table of the catalog (tenants itself is keyed by id). */
export const TENANT_TABLES = [
  'teams',
  'connections',
  'products',
  'product_versions',
  'deployments',
  'product_plans',
  'executions',
  'execution_transitions',
  'execution_steps',
  'snapshots',
  'quality_results',
  'events',
  'consumer_offsets',
  'consumed_events',
  'consumer_leases',
  'dlq_entries',
  'audit_log',
  'correlations',
  'correlation_events',
  'connector_states',
  'pending_projections',
] as const;
