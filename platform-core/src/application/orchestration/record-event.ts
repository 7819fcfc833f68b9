import type { DomainEvent } from '../../domain/events/domain-event.js';
import {
  CARRY_WINDOW,
  dayWindow,
  openCarry,
  openCorrelation,
  recordArrival,
  type Arrival,
  type Correlation,
} from '../../domain/orchestration/correlation.js';
import type { ConsumerSpec, InputSpec } from '../../domain/orchestration/subscription-map.js';
import type { CorrelationTx } from '../../ports/correlation-store.js';

/**
 * Places one `data.available` of `input` into the consumer's correlations, inside the product's
 * store transaction: a `latest` consumer's open round (or the next one); a `same_day` input's day
 * window (opened with the carried `latest` inputs); a `latest` input of a `day` consumer on the
 * carry row and every open day. Returns the correlations that changed, or why nothing did.
 */
export async function recordEvent(
  tx: CorrelationTx,
  event: DomainEvent<'DataAvailable'>,
  consumer: ConsumerSpec,
  input: InputSpec,
  arrival: Arrival,
  now: Date,
): Promise<Correlation[] | string> {
  if (!(await tx.markSeen(event.eventId))) return 'duplicate event';
  const tenant = event.tenantId;
  const changed: Correlation[] = [];
  const update = async (c: Correlation) => {
    const next = recordArrival(c, input.id, arrival);
    await tx.save(next);
    if (next.state !== 'carry') changed.push(next);
  };
  if (consumer.windowKind === 'latest') {
    const current = (await tx.open())[0];
    await update(current ?? openCorrelation(tenant, consumer, `latest-${(await tx.lastRound()) + 1}`, now));
  } else if (input.mapping === 'same_day') {
    const windowId = dayWindow({
      timestamp: event.timestamp,
      ...(arrival.windowId ? { windowId: arrival.windowId } : {}),
    });
    const existing = await tx.get(windowId);
    if (existing && existing.state !== 'open') return `window ${windowId} is already ${existing.state}`;
    await update(existing ?? openCorrelation(tenant, consumer, windowId, now, (await tx.get(CARRY_WINDOW))?.inputs));
  } else {
    await update((await tx.get(CARRY_WINDOW)) ?? openCarry(tenant, consumer, now));
    for (const open of await tx.open()) await update(open);
  }
  return changed;
}
