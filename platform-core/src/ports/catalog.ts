import type { Page, PageRequest } from '../domain/pagination.js';
import type { NewTenant, Tenant, TenantState } from '../domain/catalog/tenant.js';
import type { ConnectorStateRecord, ConnectorStateWrite } from '../domain/ingestion/connector-state.js';
import type { PendingProjectionRepository } from './pending-projections.js';
import type {
  AuditRepository,
  ConnectionRepository,
  DeploymentRepository,
  DlqRepository,
  EventRepository,
  ExecutionRepository,
  ProductRepository,
  QualityResultRepository,
  SnapshotRepository,
  TeamRepository,
} from './catalog-repositories.js';

export type * from './catalog-repositories.js';

/**
 * The catalog: the platform's durable state, tenant by tenant. Repositories speak domain types and
 * typed errors (never driver rows); every list is cursor-paginated (`domain/pagination.ts`).
 *
 * Usage:
 *   const team = await catalog.forTenant(tenantId).teams.create({ name: 'finance' });
 *   await catalog.transaction(tenantId, async (tx) => {        // one transaction:
 *     assertCanDeploy(await tx.tenant());
 *     const d = await tx.deployments.create({ productId, productVersionId });
 *     await tx.events.append({ eventType: 'ProductDeployed', productId, payload: { … } });
 *   });                                                          // both or neither
 */
export interface Catalog {
  /** Control plane: tenants across the installation (the admin path). */
  readonly tenants: TenantRepository;
  /**
   * Repositories scoped to one tenant; each call runs in its own tenant transaction (the signal,
   * if given, applies to every call).
   */
  forTenant(tenantId: string, signal?: AbortSignal): TenantCatalog;
  /**
   * Runs `fn` in ONE tenant transaction: every call through `tx` commits or rolls back together
   * (state change + outbox event). `tx` is valid only until `fn` settles.
   */
  transaction<T>(tenantId: string, fn: (tx: TenantCatalog) => Promise<T>, signal?: AbortSignal): Promise<T>;
  close(): Promise<void>;
}

/** Everything one tenant owns. Every query runs as the app role under RLS and filters by tenant_id. */
export interface TenantCatalog {
  readonly tenantId: string;
  /** This tenant's own row (RLS lets a tenant read only itself); NotFound `tenant_not_found` if absent. */
  tenant(): Promise<Tenant>;
  readonly teams: TeamRepository;
  readonly connections: ConnectionRepository;
  readonly products: ProductRepository;
  readonly deployments: DeploymentRepository;
  readonly executions: ExecutionRepository;
  readonly events: EventRepository;
  readonly dlq: DlqRepository;
  readonly audit: AuditRepository;
  readonly snapshots: SnapshotRepository;
  readonly qualityResults: QualityResultRepository;
  readonly connectorStates: ConnectorStateRepository;
  /** Serving projections to redo (docs/adr/0013): the durable retry queue of degraded endpoints. */
  readonly pendingProjections: PendingProjectionRepository;
}

/**
 * The committed state of connector inputs (docs/adr/0014). `save` belongs in the snapshot commit
 * transaction (`commitSnapshot`'s `within`), so the state advances exactly when the snapshot
 * built from it becomes visible.
 */
export interface ConnectorStateRepository {
  /** The state committed for a product's connector input; undefined before its first commit. */
  get(productId: string, inputId: string): Promise<ConnectorStateRecord | undefined>;
  /** Every committed input state of a product, by input id. */
  ofProduct(productId: string): Promise<ConnectorStateRecord[]>;
  /**
   * Writes the new state if the committed one is still `expectedSnapshotId` (compare-and-set);
   * Conflict `connector_state_changed` (retryable) otherwise. NotFound `reference_not_found` for
   * a product of another tenant.
   */
  save(write: ConnectorStateWrite): Promise<ConnectorStateRecord>;
  /** Forgets an input's state (the next run reads the source from the start). True if one existed. */
  reset(productId: string, inputId: string): Promise<boolean>;
}

export interface TenantFilter {
  readonly state?: TenantState;
}

/** Tenant lifecycle (admin only: the control plane, never on behalf of a tenant). */
export interface TenantRepository {
  /** Creates a PROVISIONING tenant. Conflict `tenant_exists` when the slug is taken. */
  create(input: NewTenant, signal?: AbortSignal): Promise<Tenant>;
  get(id: string, signal?: AbortSignal): Promise<Tenant | undefined>;
  getBySlug(slug: string, signal?: AbortSignal): Promise<Tenant | undefined>;
  list(page?: PageRequest, filter?: TenantFilter, signal?: AbortSignal): Promise<Page<Tenant>>;
  /**
   * Moves a tenant to `to` (InvalidState `invalid_tenant_transition` when the state machine
   * forbids it; NotFound `tenant_not_found`; Conflict `tenant_changed` when another writer moved
   * it meanwhile).
   */
  transition(id: string, to: TenantState, reason?: string, signal?: AbortSignal): Promise<Tenant>;
}
