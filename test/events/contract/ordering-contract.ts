import { describe, expect, it } from 'vitest';
import { freshTenant, publishData, recorder, snapshotOf, type EventContext } from './event-context.js';

export function orderingContract(get: () => EventContext): void {
  describe('per-product ordering', () => {
    it('hands one product’s events to a group one at a time, in publish order, while producers and keys run concurrently', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      const products = ['orders', 'customers', 'payments'];
      const busy = new Set<string>();
      let overlaps = 0;
      const { handler, seen } = recorder(async (_event, delivery) => {
        if (busy.has(delivery.partitionKey)) overlaps += 1;
        busy.add(delivery.partitionKey);
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        busy.delete(delivery.partitionKey);
      });
      const keys: string[] = [];
      const sub = await bus.subscribe({
        tenantId: tenant.id,
        group: 'ordered',
        topics: 'all',
        concurrency: 3,
        handler: async (event, delivery) => {
          keys.push(delivery.partitionKey);
          await handler(event, delivery);
        },
      });
      const n = 15;
      await Promise.all(products.map((p) => publishData(h, bus, tenant, p, n)));
      await sub.caughtUp();
      expect(overlaps).toBe(0);
      expect(seen).toHaveLength(products.length * n);
      for (const product of products) {
        const mine = seen.filter((e) => e.eventType === 'DataAvailable' && e.payload.product_id === product);
        expect(mine.map(snapshotOf), product).toEqual(Array.from({ length: n }, (_, i) => `snap-${i}`));
      }
      expect(new Set(keys)).toEqual(new Set(products));
      await sub.close();
    });
  });
}
