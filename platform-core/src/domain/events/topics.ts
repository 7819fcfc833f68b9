import { forbidden, invalidArgument } from '../errors.js';
import type { DlqStage } from '../catalog/dlq-entry.js';
import { isTenantSlug } from '../catalog/tenant.js';
import { DATA_EVENT_TYPES, EXECUTION_EVENT_TYPES, type EventType } from './event-types.js';

/**
 * Topic names (seed 001, docs/architecture.md "Events"), every one prefixed by the tenant slug:
 *
 *   {tenant}.{product}.data.available    DataAvailable
 *   {tenant}.{product}.execution.events  Execution*
 *   {tenant}.governance.events           everything else: Product*, Quality*, SlaBreached,
 *                                        ClassificationViolation, Retention*, Deletion*,
 *                                        Concept*, SemanticContract*, ConnectionCreated
 *   {tenant}.dlq.{stage}                 EventDeadLettered (one per new DLQ entry)
 *
 * The partition key is the product name when the event names one, else the topic: one product's
 * events stay in order on every topic.
 */
export type TopicKind = 'data.available' | 'execution.events' | 'governance.events' | 'dlq';

const PRODUCT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function assertTopicProduct(product: string): void {
  if (!PRODUCT_NAME.test(product))
    throw invalidArgument(
      'invalid_topic_product',
      `"${product}" cannot name a topic (lowercase letters, digits, hyphens).`,
    );
}

function assertSlug(slug: string): void {
  if (!isTenantSlug(slug)) throw invalidArgument('invalid_tenant_slug', `"${slug}" is not a tenant slug.`);
}

export function dataAvailableTopic(tenant: string, product: string): string {
  assertSlug(tenant);
  assertTopicProduct(product);
  return `${tenant}.${product}.data.available`;
}

export function executionEventsTopic(tenant: string, product: string): string {
  assertSlug(tenant);
  assertTopicProduct(product);
  return `${tenant}.${product}.execution.events`;
}

export function governanceTopic(tenant: string): string {
  assertSlug(tenant);
  return `${tenant}.governance.events`;
}

export function dlqTopic(tenant: string, stage: DlqStage): string {
  assertSlug(tenant);
  return `${tenant}.dlq.${stage}`;
}

/** Forbidden `topic_not_of_tenant` unless every topic belongs to the tenant (fail closed). */
export function assertTenantTopics(tenant: string, topics: readonly string[]): void {
  const prefix = tenantTopicPrefix(tenant);
  const foreign = topics.filter((t) => !t.startsWith(prefix));
  if (foreign.length > 0)
    throw forbidden('topic_not_of_tenant', `Topics of another tenant cannot be subscribed to: ${foreign.join(', ')}.`);
}

/** Every topic of a tenant starts with this. */
export function tenantTopicPrefix(tenant: string): string {
  assertSlug(tenant);
  return `${tenant}.`;
}

const DATA: ReadonlySet<string> = new Set(DATA_EVENT_TYPES);
const EXECUTION: ReadonlySet<string> = new Set(EXECUTION_EVENT_TYPES);

export function topicKindOf(eventType: EventType): TopicKind {
  if (DATA.has(eventType)) return 'data.available';
  if (EXECUTION.has(eventType)) return 'execution.events';
  if (eventType === 'EventDeadLettered') return 'dlq';
  return 'governance.events';
}

export interface Route {
  readonly topic: string;
  readonly partitionKey: string;
}

/**
 * Where an event goes. Product topics need the product (InvalidArgument `event_product_required`);
 * EventDeadLettered needs the DLQ stage.
 */
export function routeEvent(
  tenant: string,
  eventType: EventType,
  options: { readonly product?: string | undefined; readonly stage?: DlqStage | undefined },
): Route {
  const kind = topicKindOf(eventType);
  const { product } = options;
  if ((kind === 'data.available' || kind === 'execution.events') && product === undefined) {
    throw invalidArgument('event_product_required', `${eventType} travels on a product topic: name the product.`);
  }
  let topic: string;
  if (kind === 'data.available') topic = dataAvailableTopic(tenant, product!);
  else if (kind === 'execution.events') topic = executionEventsTopic(tenant, product!);
  else if (kind === 'dlq') topic = dlqTopic(tenant, options.stage ?? 'event_publish');
  else topic = governanceTopic(tenant);
  if (product !== undefined) assertTopicProduct(product);
  return { topic, partitionKey: product ?? topic };
}
