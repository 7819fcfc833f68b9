import { isClassification, maxClassification, type Classification } from '../classification.js';
import type { EventPayload } from '../events/domain-event.js';
import { isFailing, type GateOutcome } from './quality-result.js';
import type { ProductNode } from './downstream-skips.js';

/** Check types whose measured value is computed from the data by user code: it may BE data. */
const DATA_BEARING = new Set(['custom_sql', 'custom_python']);

export interface QualityEventContext {
  readonly productId: string;
  readonly productName: string;
  readonly executionId?: string;
  readonly snapshotId?: string;
  /** Products that read this one, transitively (`downstreamOf`). */
  readonly downstream: readonly string[];
  /** The product's highest column classification (`highestClassification`). */
  readonly classification: Classification;
}

export type QualityEvent =
  | { readonly eventType: 'QualityCheckCompleted'; readonly payload: EventPayload<'QualityCheckCompleted'> }
  | { readonly eventType: 'QualityCheckFailed'; readonly payload: EventPayload<'QualityCheckFailed'> };

/**
 * One event per check of a gate: QualityCheckFailed for a blocking check that failed (or could not
 * run), QualityCheckCompleted for every other (passed, skipped, or a failing warn check). Payloads
 * carry the measured value and the threshold, except the measured value of a custom_sql or
 * custom_python check when the product holds anything above `public` (the value may be a row's
 * data; events are read by more people than the data): `measured_withheld` says so. No samples.
 */
export function qualityEvents(gate: GateOutcome, context: QualityEventContext): QualityEvent[] {
  return gate.checks.map((check): QualityEvent => {
    const withheld = DATA_BEARING.has(check.type) && context.classification !== 'public';
    const detail = {
      product_name: context.productName,
      ...(context.executionId !== undefined ? { execution_id: context.executionId } : {}),
      ...(context.snapshotId !== undefined ? { snapshot_id: context.snapshotId } : {}),
      check_type: check.type,
      status: check.status,
      ...(withheld ? { measured_withheld: context.classification } : { measured: check.measured }),
      threshold: check.threshold,
      downstream_affected: [...context.downstream],
    };
    if (check.blocking && isFailing(check))
      return {
        eventType: 'QualityCheckFailed',
        payload: {
          product_id: context.productId,
          check_name: check.name,
          severity: check.severity,
          error_detail: withheld
            ? `${check.type} check ${check.status === 'error' ? 'could not run' : 'failed'} (its measured value is withheld: the product holds ${context.classification} data)`
            : check.message || `${check.name} ${check.status}`,
          ...detail,
        },
      };
    return {
      eventType: 'QualityCheckCompleted',
      payload: {
        product_id: context.productId,
        check_name: check.name,
        passed: check.status === 'passed',
        severity: check.severity,
        ...detail,
      },
    };
  });
}

/** The highest classification of a product's columns (a column without one has the product's). */
export function highestClassification(
  product: string | null | undefined,
  columns: readonly { readonly classification?: string | null }[],
): Classification {
  const base: Classification = isClassification(product) ? product : 'internal';
  return columns.reduce<Classification>(
    (top, c) => (isClassification(c.classification) ? maxClassification(top, c.classification) : top),
    base,
  );
}

/** The products that read `product`, directly or through others, nearest first (each once). */
export function downstreamOf(product: string, graph: readonly ProductNode[]): string[] {
  const consumers = new Map<string, string[]>();
  for (const node of graph)
    for (const up of node.upstream) consumers.set(up, [...(consumers.get(up) ?? []), node.name]);
  const out: string[] = [];
  const seen = new Set([product]);
  let frontier = [product];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const at of frontier)
      for (const consumer of [...(consumers.get(at) ?? [])].sort()) {
        if (seen.has(consumer)) continue;
        seen.add(consumer);
        out.push(consumer);
        next.push(consumer);
      }
    frontier = next;
  }
  return out;
}
