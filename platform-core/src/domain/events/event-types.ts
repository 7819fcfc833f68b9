/**
 * Every event type of the event system (seed 001: "Event System"), by category, plus the one the
 * platform adds for its own DLQ (`EventDeadLettered`, see docs/adr/0008). The category decides the
 * topic an event travels on (`topics.ts`).
 */
export const PRODUCT_EVENT_TYPES = [
  'ProductRegistered',
  'ProductDeployed',
  'ProductUpdated',
  'ProductDeprecated',
  'ProductDeleted',
] as const;

export const EXECUTION_EVENT_TYPES = ['ExecutionStarted', 'ExecutionCompleted', 'ExecutionFailed'] as const;

export const DATA_EVENT_TYPES = ['DataAvailable'] as const;

export const GOVERNANCE_EVENT_TYPES = [
  'QualityCheckCompleted',
  'QualityCheckFailed',
  'SlaBreached',
  'ClassificationViolation',
  'RetentionExpired',
  'DeletionRequested',
  'DeletionCompleted',
] as const;

export const SEMANTIC_EVENT_TYPES = [
  'ConceptCreated',
  'ConceptPromoted',
  'SemanticContractBroken',
  'SemanticContractStale',
  'ConnectionCreated',
] as const;

/** Announces a new DLQ entry on `{tenant}.dlq.{stage}` (for the DLQ monitor and the audit trail). */
export const PLATFORM_EVENT_TYPES = ['EventDeadLettered'] as const;

export const EVENT_TYPES = [
  ...PRODUCT_EVENT_TYPES,
  ...EXECUTION_EVENT_TYPES,
  ...DATA_EVENT_TYPES,
  ...GOVERNANCE_EVENT_TYPES,
  ...SEMANTIC_EVENT_TYPES,
  ...PLATFORM_EVENT_TYPES,
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

const KNOWN: ReadonlySet<string> = new Set(EVENT_TYPES);

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && KNOWN.has(value);
}
