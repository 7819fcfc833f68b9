import type { Page, PageRequest } from '../domain/pagination.js';
import type { SecretValue } from '../domain/secret-value.js';
import type { Team, NewTeam } from '../domain/catalog/team.js';
import type { Connection, NewConnection } from '../domain/catalog/connection.js';
import type { NewProduct, NewProductVersion, Product, ProductVersion } from '../domain/catalog/product.js';
import type { Deployment, DeploymentPlan, NewDeployment } from '../domain/catalog/deployment.js';
import type {
  Execution,
  ExecutionState,
  ExecutionStep,
  ExecutionTransition,
  NewExecution,
} from '../domain/catalog/execution.js';
import type { NewOutboxEvent, OutboxEvent } from '../domain/catalog/outbox-event.js';
import type { DlqEntry, DlqStage, DlqStatus, NewDlqEntry } from '../domain/catalog/dlq-entry.js';
import type { AuditEntry, AuditFilter, NewAuditEntry } from '../domain/catalog/audit-entry.js';
import type { SignedHead } from '../domain/audit/audit-chain.js';
import type { NewSnapshot, Snapshot, SnapshotCommit, SnapshotState } from '../domain/lake/snapshot.js';
import type { NewQualityResult, QualityResult } from '../domain/quality/quality-result.js';

/*
 * Tenant-scoped repositories (reached through `Catalog.forTenant` or `Catalog.transaction`).
 * Conventions: `get*` returns undefined when nothing matches (or the id belongs to another
 * tenant — indistinguishable on purpose); ids that are not UUIDs are InvalidArgument `invalid_id`;
 * a name already taken is Conflict `<thing>_exists`; lists are newest first, cursor-paginated.
 */

export interface TeamRepository {
  create(input: NewTeam): Promise<Team>;
  get(id: string): Promise<Team | undefined>;
  getByName(name: string): Promise<Team | undefined>;
  list(page?: PageRequest): Promise<Page<Team>>;
}

export interface ConnectionRepository {
  /** Stores `env:` references as they are and encrypts literal secrets (AES-256-GCM). */
  create(input: NewConnection): Promise<Connection>;
  get(id: string): Promise<Connection | undefined>;
  getByName(name: string): Promise<Connection | undefined>;
  list(page?: PageRequest): Promise<Page<Connection>>;
  /**
   * The plaintext secrets of a connection, for the connector that uses them: stored ones are
   * decrypted, `env:` ones read from `env` (Permanent `secret_env_missing` when unset).
   */
  resolveSecrets(id: string, env: Readonly<Record<string, string | undefined>>): Promise<Record<string, SecretValue>>;
}

export interface ProductRepository {
  /** Registers a product (tenant must be ACTIVE: Forbidden `tenant_not_active` otherwise). */
  register(input: NewProduct): Promise<Product>;
  get(id: string): Promise<Product | undefined>;
  getByName(name: string): Promise<Product | undefined>;
  list(page?: PageRequest): Promise<Page<Product>>;
  /** Adds an immutable version (Conflict `product_version_exists` for a repeated version). */
  addVersion(input: NewProductVersion): Promise<ProductVersion>;
  getVersion(id: string): Promise<ProductVersion | undefined>;
  listVersions(productId: string, page?: PageRequest): Promise<Page<ProductVersion>>;
}

export interface DeploymentFilter {
  readonly productId?: string;
}

export interface DeploymentRepository {
  /**
   * Records an active deployment and supersedes the product's previous one. With `plan`, the plan
   * is stored too (once per product and hash: a plan deployed before is not stored again) and the
   * deployment names it (`planHash`). InvalidArgument `invalid_plan_hash` / `invalid_plan`.
   */
  create(input: NewDeployment): Promise<Deployment>;
  get(id: string): Promise<Deployment | undefined>;
  /** The product's active deployment. */
  active(productId: string): Promise<Deployment | undefined>;
  /** A plan this tenant deployed for the product, by hash (undefined: never recorded here). */
  plan(productId: string, planHash: string): Promise<DeploymentPlan | undefined>;
  list(page?: PageRequest, filter?: DeploymentFilter): Promise<Page<Deployment>>;
}

export interface ExecutionFilter {
  readonly productId?: string;
  readonly state?: ExecutionState;
}

export interface ExecutionRepository {
  /**
   * Creates a `pending` execution, or returns the existing one with the same idempotency key
   * (`created: false`): a duplicate trigger never makes a second execution.
   */
  create(input: NewExecution): Promise<{ readonly execution: Execution; readonly created: boolean }>;
  get(id: string): Promise<Execution | undefined>;
  getByIdempotencyKey(key: string): Promise<Execution | undefined>;
  list(page?: PageRequest, filter?: ExecutionFilter): Promise<Page<Execution>>;
  /** Transitions in the order they happened (oldest first). */
  transitions(executionId: string): Promise<ExecutionTransition[]>;
  /** Steps by ordinal. */
  steps(executionId: string): Promise<ExecutionStep[]>;
  /**
   * In a commit transaction: when `owner` still holds the unexpired lease of the execution, locks
   * its row until the transaction ends (a cancel or a takeover waits), moves it through `states` in
   * order (each transition recorded, the state machine enforced) and returns true; otherwise
   * changes nothing and returns false, so work done under a lost lease is never committed.
   */
  advanceHeld(executionId: string, owner: string, states: readonly ExecutionState[], reason: string): Promise<boolean>;
}

export interface EventFilter {
  readonly eventType?: string;
  readonly correlationId?: string;
  readonly productId?: string;
}

export interface EventRepository {
  /** Writes an event to the outbox, in the caller's transaction (see `Catalog.transaction`). */
  append(input: NewOutboxEvent): Promise<OutboxEvent>;
  get(eventId: string): Promise<OutboxEvent | undefined>;
  list(page?: PageRequest, filter?: EventFilter): Promise<Page<OutboxEvent>>;
}

export interface DlqFilter {
  readonly stage?: DlqStage;
  readonly status?: DlqStatus;
}

export interface DlqRepository {
  add(input: NewDlqEntry): Promise<DlqEntry>;
  get(id: string): Promise<DlqEntry | undefined>;
  list(page?: PageRequest, filter?: DlqFilter): Promise<Page<DlqEntry>>;
  /**
   * Moves an entry to `to` (replayed, acknowledged, purged) and stamps `resolvedAt`. NotFound
   * `dlq_entry_not_found`; InvalidState `invalid_dlq_transition` when `DLQ_TRANSITIONS` forbids it;
   * Conflict `dlq_entry_changed` when another writer moved it meanwhile.
   */
  setStatus(id: string, to: DlqStatus): Promise<DlqEntry>;
}

export interface AuditRepository {
  /**
   * Appends a row whose seq/prevHash/hash the audit module computed (Conflict `audit_seq_taken`
   * when another writer took that seq). Rows are never updated or deleted.
   */
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** The tenant's newest row (the chain head), if any. */
  head(): Promise<AuditEntry | undefined>;
  /**
   * The tenant's signed head, kept outside the rows (docs/adr/0018): the seq and hash of the newest
   * entry as of the last append, and whether its signature holds; undefined when none is recorded.
   */
  signedHead(): Promise<SignedHead | undefined>;
  list(page?: PageRequest, filter?: AuditFilter): Promise<Page<AuditEntry>>;
  /** Up to `limit` rows with seq > `afterSeq`, in seq order (chain verification). */
  chain(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /**
   * Event ids relayed to the bus before `before` (ISO 8601) that have no audit row and were not
   * parked in the DLQ by `auditGroup`: the independent witness that catches a deleted newest row.
   */
  unaudited(before: string, auditGroup: string, limit: number): Promise<string[]>;
}

export interface SnapshotFilter {
  readonly productId?: string;
  readonly state?: SnapshotState;
}

/**
 * Snapshots of product outputs (docs/adr/0011). A reader sees only committed-or-promoted ones;
 * `commit` is the pointer flip and belongs in the same `Catalog.transaction` as the execution's
 * state change and its outbox event.
 */
export interface SnapshotRepository {
  /** Reserves a `staged` snapshot (Conflict `snapshot_exists` for a repeated id). */
  create(input: NewSnapshot): Promise<Snapshot>;
  get(id: string): Promise<Snapshot | undefined>;
  /** staged → committed (stamps committedAt). InvalidState `invalid_snapshot_transition` otherwise; NotFound `snapshot_not_found`. */
  commit(id: string, commit: SnapshotCommit): Promise<Snapshot>;
  /** committed → promoted (stamps promotedAt). */
  promote(id: string): Promise<Snapshot>;
  /** staged|committed → discarded. */
  discard(id: string): Promise<Snapshot>;
  /** The product's newest committed-or-promoted snapshot (the current one). */
  current(productId: string): Promise<Snapshot | undefined>;
  /** The newest committed-or-promoted snapshot committed at or before `at` (ISO 8601). */
  asOf(productId: string, at: string): Promise<Snapshot | undefined>;
  /** Committed-or-promoted snapshots of a product, newest commit first (at most `limit`, default 100). */
  visible(productId: string, limit?: number): Promise<Snapshot[]>;
  list(page?: PageRequest, filter?: SnapshotFilter): Promise<Page<Snapshot>>;
  /** Deletes snapshot rows (their quality results keep their history, unlinked). Returns how many. */
  delete(ids: readonly string[]): Promise<number>;
}

export interface QualityResultFilter {
  readonly productId?: string;
  readonly executionId?: string;
  readonly snapshotId?: string;
}

export interface QualityResultRepository {
  /** Records the outcomes of one gate run, in order. */
  record(results: readonly NewQualityResult[]): Promise<QualityResult[]>;
  /** Results of an execution, in the order they were recorded. */
  ofExecution(executionId: string): Promise<QualityResult[]>;
  list(page?: PageRequest, filter?: QualityResultFilter): Promise<Page<QualityResult>>;
}
