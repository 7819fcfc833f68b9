import { describe, expect, it } from 'vitest';
import { dlqMonitorGroup } from '../../../platform-core/src/domain/events/consumer-groups.js';
import { dataAvailableTopic, dlqTopic, governanceTopic } from '../../../platform-core/src/domain/events/topics.js';
import { permanent } from '../../../platform-core/src/domain/errors.js';
import { freshTenant, publishData, recorder, snapshotOf, type EventContext } from './event-context.js';

export function failureContract(get: () => EventContext): void {
  describe('failures and the DLQ', () => {
    it('parks malformed and unknown messages (parse_failure), announces them, and carries on', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      const { handler, seen } = recorder();
      const monitor = recorder();
      const sub = await bus.subscribe({ tenantId: tenant.id, group: 'reader', topics: 'all', handler });
      const dlqSub = await bus.subscribe({
        tenantId: tenant.id,
        group: dlqMonitorGroup(tenant.slug),
        topics: [dlqTopic(tenant.slug, 'parse_failure')],
        handler: monitor.handler,
      });
      await h.injectRaw(tenant, governanceTopic(tenant.slug), {
        kind: 'json',
        eventId: 'evt-unknown',
        eventType: 'ProductTeleported',
        payload: { product_id: 'x' },
      });
      await h.injectRaw(tenant, dataAvailableTopic(tenant.slug, 'orders'), {
        kind: 'json',
        eventId: 'evt-missing',
        eventType: 'DataAvailable',
        payload: { product_id: 'orders', freshness: '2026-11-23T10:00:00Z' },
      });
      const expected = ['event_unknown_event_type', 'event_invalid_payload'];
      if (h.rawTextUnsupported === undefined) {
        await h.injectRaw(tenant, governanceTopic(tenant.slug), { kind: 'text', text: '{"event_id": "evt-broken", ' });
        expected.push('event_malformed_json');
      }
      await publishData(h, bus, tenant, 'orders', 1);
      await sub.caughtUp();
      await dlqSub.caughtUp();
      expect(seen.filter((e) => e.eventType === 'DataAvailable').map(snapshotOf)).toEqual(['snap-0']);
      const entries = (await h.catalog.forTenant(tenant.id).dlq.list({ limit: 100 }, { stage: 'parse_failure' })).items;
      const mine = entries.filter((e) => e.consumerGroup === 'reader');
      expect(mine.map((e) => e.error.code).sort()).toEqual([...expected].sort());
      const missing = mine.find((e) => e.eventId === 'evt-missing')!;
      expect(missing).toMatchObject({ stage: 'parse_failure', status: 'pending', attempts: 1 });
      expect(missing.error.message).toContain('/payload/snapshot_id');
      expect(missing.event).toMatchObject({ event_id: 'evt-missing', payload: { product_id: 'orders' } });
      // The DLQ monitor heard of each entry on {tenant}.dlq.parse_failure (the reader's and its own).
      const announced = monitor.seen.filter((e) => e.eventType === 'EventDeadLettered');
      expect(announced.map((e) => e.eventType === 'EventDeadLettered' && e.payload.consumer_group)).toContain('reader');
      await Promise.all([sub.close(), dlqSub.close()]);
    });

    it('retries with backoff, then parks the event, the error and the attempts under the subscription’s stage', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      const attempts: number[] = [];
      const { handler, seen } = recorder(async (event, delivery) => {
        if (event.eventType === 'DataAvailable' && event.payload.snapshot_id === 'snap-0') {
          attempts.push(delivery.attempt);
          throw new Error('correlation store unavailable');
        }
      });
      const sub = await bus.subscribe({
        tenantId: tenant.id,
        group: 'correlator',
        topics: 'all',
        dlqStage: 'correlation',
        handler,
      });
      const [bad] = await publishData(h, bus, tenant, 'orders', 2);
      await sub.caughtUp();
      expect(attempts).toEqual([1, 2, 3]);
      expect(seen.filter((e) => e.eventType === 'DataAvailable').map(snapshotOf)).toEqual(['snap-1']);
      const [entry] = (await h.catalog.forTenant(tenant.id).dlq.list({}, { stage: 'correlation' })).items;
      expect(entry).toMatchObject({
        stage: 'correlation',
        attempts: 3,
        eventId: bad!.event.eventId,
        consumerGroup: 'correlator',
        partitionKey: 'orders',
        error: { code: 'handler_error', message: 'correlation store unavailable', retryable: true },
        event: { event_id: bad!.event.eventId, event_type: 'DataAvailable', tenant_id: tenant.id },
      });
      // Explicit replay to the group that failed: now it is handled.
      await bus.republish(tenant.id, bad!.event, { group: 'correlator', product: 'orders' });
      attempts.length = 0;
      const replayed = recorder();
      await sub.close();
      const again = await bus.subscribe({
        tenantId: tenant.id,
        group: 'correlator',
        topics: 'all',
        handler: replayed.handler,
      });
      await again.caughtUp();
      expect(replayed.seen.filter((e) => e.eventType === 'DataAvailable').map(snapshotOf)).toEqual(['snap-0']);
      await again.close();
    });

    it('parks a non-retryable failure at once', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      let calls = 0;
      const sub = await bus.subscribe({
        tenantId: tenant.id,
        group: 'strict',
        topics: [dataAvailableTopic(tenant.slug, 'orders')],
        handler: async () => {
          calls += 1;
          throw permanent('schema_mismatch', 'input schema changed');
        },
      });
      const [e] = await publishData(h, bus, tenant, 'orders', 1);
      await sub.caughtUp();
      expect(calls).toBe(1);
      const [entry] = (await h.catalog.forTenant(tenant.id).dlq.list({}, { stage: 'execution' })).items;
      expect(entry).toMatchObject({
        eventId: e!.event.eventId,
        attempts: 1,
        error: { kind: 'Permanent', code: 'schema_mismatch', retryable: false },
      });
      await sub.close();
    });
  });
}
