/** A re-published event meant for one consumer group only (explicit DLQ replay). */
export const TARGET_GROUP_HEADER = 'hekima-target-group';

/** Kafka group ids are cluster-wide: a group not already prefixed by the tenant slug gets it. */
export function kafkaGroupId(tenantSlug: string, group: string): string {
  return group.startsWith(`${tenantSlug}.`) ? group : `${tenantSlug}.${group}`;
}
