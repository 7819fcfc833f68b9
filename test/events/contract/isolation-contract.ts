import { describe, expect, it } from 'vitest';
import { dataAvailableTopic } from '../../../platform-core/src/domain/events/topics.js';
import { freshTenant, publishData, recorder, snapshotOf, type EventContext } from './event-context.js';

export function isolationContract(get: () => EventContext): void {
  describe('tenant isolation', () => {
    it('a tenant’s subscription sees only its own events, even with the same product names', async () => {
      const { h, bus } = get();
      const a = await freshTenant(h, 'a');
      const b = await freshTenant(h, 'b');
      const allA = recorder();
      const topicA = recorder();
      const foreign = recorder();
      const subs = [
        await bus.subscribe({ tenantId: a.id, group: 'everything', topics: 'all', handler: allA.handler }),
        await bus.subscribe({
          tenantId: a.id,
          group: 'orders',
          topics: [dataAvailableTopic(a.slug, 'orders')],
          handler: topicA.handler,
        }),
      ];
      // A's tenant with B's topic name: refused, fail closed (the name must not open B's log).
      await expect(
        bus.subscribe({
          tenantId: a.id,
          group: 'peek',
          topics: [dataAvailableTopic(b.slug, 'orders')],
          handler: foreign.handler,
        }),
      ).rejects.toMatchObject({ kind: 'Forbidden', code: 'topic_not_of_tenant' });
      await publishData(h, bus, b, 'orders', 3);
      await publishData(h, bus, a, 'orders', 2, 10);
      await publishData(h, bus, b, 'orders', 3, 3);
      await Promise.all(subs.map((s) => s.caughtUp()));
      expect(allA.seen.map(snapshotOf)).toEqual(['snap-10', 'snap-11']);
      expect(allA.seen.every((e) => e.tenantId === a.id)).toBe(true);
      expect(topicA.seen.map(snapshotOf)).toEqual(['snap-10', 'snap-11']);
      expect(foreign.seen).toEqual([]);
      await Promise.all(subs.map((s) => s.close()));
    });
  });
}
