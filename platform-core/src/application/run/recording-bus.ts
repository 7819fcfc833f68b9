import type { DomainEvent } from '../../domain/events/domain-event.js';
import type { EventBus } from '../../ports/event-bus.js';

/**
 * The bus, noting every DataAvailable published through it (in the caller's transaction): once that
 * transaction has committed, `hekima run` hands the event to the correlation engine itself, the
 * same event (same id) the relay delivers to the sensors of any running worker.
 */
export function recordingBus(bus: EventBus, sink: DomainEvent<'DataAvailable'>[]): EventBus {
  return {
    kind: bus.kind,
    publish: async (tx, event) => {
      const published = await bus.publish(tx, event);
      if (published.event.eventType === 'DataAvailable') sink.push(published.event as DomainEvent<'DataAvailable'>);
      return published;
    },
    republish: (tenantId, event, options) => bus.republish(tenantId, event, options),
    relayOnce: (signal) => bus.relayOnce(signal),
    start: () => bus.start(),
    subscribe: (options) => bus.subscribe(options),
    close: () => bus.close(),
  };
}
