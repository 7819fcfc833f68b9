import type { ErrorJSON } from '../errors.js';
import type { JsonValue } from '../json.js';

/** Dead-letter stages (manifest-format §15, DLQ). */
export const DLQ_STAGES = ['parse_failure', 'correlation', 'quality_gate', 'execution', 'event_publish'] as const;
export type DlqStage = (typeof DLQ_STAGES)[number];

/** pending until someone acts: replayed (explicitly), acknowledged, or purged. Never automatic. */
export const DLQ_STATUSES = ['pending', 'replayed', 'acknowledged', 'purged'] as const;
export type DlqStatus = (typeof DLQ_STATUSES)[number];

export interface DlqEntry {
  readonly id: string;
  readonly tenantId: string;
  readonly stage: DlqStage;
  readonly status: DlqStatus;
  /** The original event's id, when it could be read. */
  readonly eventId?: string;
  /** The original event: parsed JSON, or the raw text for a parse failure. */
  readonly event: JsonValue;
  readonly error: ErrorJSON;
  readonly attempts: number;
  readonly productId?: string;
  readonly correlationId?: string;
  /** The consumer group whose handling failed, with the topic and partition key it read. */
  readonly consumerGroup?: string;
  readonly topic?: string;
  readonly partitionKey?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly resolvedAt?: string;
}

export interface NewDlqEntry {
  readonly stage: DlqStage;
  readonly eventId?: string;
  readonly event: JsonValue;
  readonly error: ErrorJSON;
  readonly attempts: number;
  readonly productId?: string;
  readonly correlationId?: string;
  readonly consumerGroup?: string;
  readonly topic?: string;
  readonly partitionKey?: string;
}

/**
 * What an operator may do with an entry: replay (re-publish), acknowledge (seen, not replayed) or
 * purge (discard). Purged is final; a replayed or acknowledged entry may still be purged.
 */
export const DLQ_TRANSITIONS: Readonly<Record<DlqStatus, readonly DlqStatus[]>> = {
  pending: ['replayed', 'acknowledged', 'purged'],
  replayed: ['purged'],
  acknowledged: ['replayed', 'purged'],
  purged: [],
};

export function canMoveDlqEntry(from: DlqStatus, to: DlqStatus): boolean {
  return DLQ_TRANSITIONS[from].includes(to);
}
