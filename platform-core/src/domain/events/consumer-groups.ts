import { isTenantSlug } from '../catalog/tenant.js';
import { invalidArgument } from '../errors.js';
import { assertTopicProduct } from './topics.js';

/**
 * Consumer group ids (seed 001, "Consumer groups"): each group keeps its own offsets and receives
 * every event of its topics once.
 *
 *   {tenant}.{product}.sensor        execution sensor of a product (correlation of its inputs)
 *   {tenant}.governance.consumer     governance events
 *   {tenant}.dlq.monitor             alerts on new DLQ entries
 *   {tenant}.audit.consumer          appends every event to the audit trail
 */
function slug(tenant: string): string {
  if (!isTenantSlug(tenant)) throw invalidArgument('invalid_tenant_slug', `"${tenant}" is not a tenant slug.`);
  return tenant;
}

export const sensorGroup = (tenant: string, product: string): string => {
  assertTopicProduct(product);
  return `${slug(tenant)}.${product}.sensor`;
};
export const governanceGroup = (tenant: string): string => `${slug(tenant)}.governance.consumer`;
export const dlqMonitorGroup = (tenant: string): string => `${slug(tenant)}.dlq.monitor`;
export const auditGroup = (tenant: string): string => `${slug(tenant)}.audit.consumer`;

/** Consumer group ids: the characters Kafka accepts, 1–200 long. */
export function assertGroupId(group: string): void {
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(group))
    throw invalidArgument('invalid_consumer_group', `"${group}" is not a valid consumer group id.`);
}
