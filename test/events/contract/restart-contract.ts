import { describe, expect, it } from 'vitest';
import { freshTenant, publishData, recorder, snapshotOf, type EventContext } from './event-context.js';

export function restartContract(get: () => EventContext): void {
  describe('offsets and restarts', () => {
    it('resumes after the last committed offset on a new bus instance', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      const before = recorder();
      const sub = await bus.subscribe({
        tenantId: tenant.id,
        group: 'resumer',
        topics: 'all',
        handler: before.handler,
      });
      await publishData(h, bus, tenant, 'orders', 3);
      await sub.caughtUp();
      await sub.close();
      await publishData(h, bus, tenant, 'orders', 2, 3);
      const restarted = await h.newBus();
      const after = recorder();
      const sub2 = await restarted.subscribe({
        tenantId: tenant.id,
        group: 'resumer',
        topics: 'all',
        handler: after.handler,
      });
      await sub2.caughtUp();
      expect(before.seen.map(snapshotOf)).toEqual(['snap-0', 'snap-1', 'snap-2']);
      expect(after.seen.map(snapshotOf)).toEqual(['snap-3', 'snap-4']);
      await restarted.close();
    });

    it('redelivers an event whose handler was interrupted before finishing', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      const sub = await bus.subscribe({
        tenantId: tenant.id,
        group: 'interrupted',
        topics: 'all',
        handler: (_e, delivery) =>
          new Promise<void>((_resolve, reject) => {
            started();
            delivery.signal.addEventListener('abort', () => reject(new Error('stopped')));
          }),
      });
      await publishData(h, bus, tenant, 'orders', 1);
      await running;
      await sub.close();
      const second = await h.newBus();
      const { handler, seen } = recorder();
      const sub2 = await second.subscribe({ tenantId: tenant.id, group: 'interrupted', topics: 'all', handler });
      await sub2.caughtUp();
      expect(seen.map(snapshotOf)).toEqual(['snap-0']);
      expect((await h.catalog.forTenant(tenant.id).dlq.list()).items).toEqual([]);
      await second.close();
    });

    it('shares a group between two members: each event is handled once, and the survivor takes over', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h);
      const other = await h.newBus();
      const one = recorder();
      const two = recorder();
      const m1 = await bus.subscribe({ tenantId: tenant.id, group: 'shared', topics: 'all', handler: one.handler });
      const m2 = await other.subscribe({ tenantId: tenant.id, group: 'shared', topics: 'all', handler: two.handler });
      await publishData(h, bus, tenant, 'orders', 4);
      await m1.caughtUp();
      const firstRound = [...one.seen, ...two.seen].map(snapshotOf).sort();
      expect(firstRound).toEqual(['snap-0', 'snap-1', 'snap-2', 'snap-3']);
      const active = one.seen.length > 0 ? m1 : m2;
      const survivor = active === m1 ? m2 : m1;
      await active.close();
      await publishData(h, bus, tenant, 'orders', 2, 4);
      await survivor.caughtUp();
      const all = [...one.seen, ...two.seen].map(snapshotOf).sort();
      expect(all).toEqual(['snap-0', 'snap-1', 'snap-2', 'snap-3', 'snap-4', 'snap-5']);
      await other.close();
    });
  });
}
