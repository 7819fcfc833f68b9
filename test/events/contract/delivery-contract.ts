import { describe, expect, it, vi } from 'vitest';
import { auditGroup, governanceGroup, sensorGroup } from '../../../platform-core/src/domain/events/consumer-groups.js';
import { dataAvailableTopic, governanceTopic } from '../../../platform-core/src/domain/events/topics.js';
import { rejectionOf, RollBack } from '../../support/outcome.js';
import { freshTenant, publishData, recorder, snapshotOf, type EventContext } from './event-context.js';

export function deliveryContract(get: () => EventContext): void {
  describe('publish and consume', () => {
    it('delivers what a committed transaction published, with its envelope, and nothing a rolled-back one did', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      const { handler, seen } = recorder();
      const sub = await bus.subscribe({ tenantId: tenant.id, group: auditGroup(tenant.slug), topics: 'all', handler });
      const published = await h.catalog.transaction(tenant.id, async (tx) => {
        const team = await tx.teams.create({ name: 'finance' });
        return bus.publish(tx, {
          eventType: 'ProductRegistered',
          correlationId: 'corr-1',
          payload: { product_id: team.id, name: 'orders', namespace: 'sales', archetype: 'source' },
        });
      });
      const rolledBack = await rejectionOf(
        h.catalog.transaction(tenant.id, async (tx) => {
          await bus.publish(tx, {
            eventType: 'ProductDeleted',
            payload: { product_id: 'never' },
          });
          throw new RollBack();
        }),
      );
      expect(rolledBack).toBeInstanceOf(RollBack);
      const [data] = await publishData(h, bus, tenant, 'orders', 1);
      await sub.caughtUp();
      // Two topics (governance, product data): order is guaranteed per partition key, not across topics.
      expect(seen.map((e) => e.eventType).sort()).toEqual(['DataAvailable', 'ProductRegistered']);
      const registered = seen.find((e) => e.eventType === 'ProductRegistered');
      const available = seen.find((e) => e.eventType === 'DataAvailable');
      expect(registered).toEqual({
        eventId: published.event.eventId,
        eventType: 'ProductRegistered',
        tenantId: tenant.id,
        correlationId: 'corr-1',
        timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        payload: published.event.payload,
      });
      expect(published.topic).toBe(governanceTopic(tenant.slug));
      expect(data!.topic).toBe(dataAvailableTopic(tenant.slug, 'orders'));
      expect(data!.partitionKey).toBe('orders');
      expect(available!.correlationId).toBe(available!.eventId);
      await sub.close();
    });

    it('gives every consumer group every event of its topics', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      const a = recorder();
      const b = recorder();
      const topic = dataAvailableTopic(tenant.slug, 'orders');
      const subA = await bus.subscribe({
        tenantId: tenant.id,
        group: sensorGroup(tenant.slug, 'revenue'),
        topics: [topic],
        handler: a.handler,
      });
      const subB = await bus.subscribe({
        tenantId: tenant.id,
        group: governanceGroup(tenant.slug),
        topics: [topic],
        handler: b.handler,
      });
      await publishData(h, bus, tenant, 'orders', 5);
      await publishData(h, bus, tenant, 'other', 2);
      await Promise.all([subA.caughtUp(), subB.caughtUp()]);
      expect(a.seen.map(snapshotOf)).toEqual(['snap-0', 'snap-1', 'snap-2', 'snap-3', 'snap-4']);
      expect(b.seen.map(snapshotOf)).toEqual(a.seen.map(snapshotOf));
      await Promise.all([subA.close(), subB.close()]);
    });

    it('delivers at least once: a handler that throws gets the event again', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      const attempts: number[] = [];
      const { handler, seen } = recorder(async (_e, delivery) => {
        attempts.push(delivery.attempt);
        if (delivery.attempt === 1) throw new Error('flaky downstream');
      });
      const sub = await bus.subscribe({ tenantId: tenant.id, group: 'flaky', topics: 'all', handler });
      await publishData(h, bus, tenant, 'orders', 1);
      await sub.caughtUp();
      expect(attempts).toEqual([1, 2]);
      expect(seen.map(snapshotOf)).toEqual(['snap-0']);
      await sub.close();
    });

    it('de-duplicates by event_id per group: a redelivered event is not handled twice', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      const first = recorder();
      const second = recorder();
      const g1 = await bus.subscribe({
        tenantId: tenant.id,
        group: 'group-one',
        topics: 'all',
        handler: first.handler,
      });
      const g2 = await bus.subscribe({
        tenantId: tenant.id,
        group: 'group-two',
        topics: 'all',
        handler: second.handler,
      });
      const [e] = await publishData(h, bus, tenant, 'orders', 1);
      await Promise.all([g1.caughtUp(), g2.caughtUp()]);
      // The same event again (a duplicate send), to everyone and to one group.
      await bus.republish(tenant.id, e!.event, { product: 'orders', group: 'group-one' });
      await bus.republish(tenant.id, e!.event, { product: 'orders', group: 'group-two' });
      await publishData(h, bus, tenant, 'orders', 1, 1);
      await Promise.all([g1.caughtUp(), g2.caughtUp()]);
      expect(first.seen.map(snapshotOf)).toEqual(['snap-0', 'snap-1']);
      expect(second.seen.map(snapshotOf)).toEqual(['snap-0', 'snap-1']);
      await Promise.all([g1.close(), g2.close()]);
    });

    it('wakes a subscription without polling delays piling up (caughtUp on an idle topic returns)', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      const { handler, seen } = recorder();
      const sub = await bus.subscribe({ tenantId: tenant.id, group: 'idle', topics: 'all', handler });
      await sub.caughtUp();
      expect(seen).toEqual([]);
      await publishData(h, bus, tenant, 'orders', 1);
      await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 30_000, interval: 10 });
      await sub.close();
    });
  });
}
