import { describe, expect, it } from 'vitest';
import {
  ackDlq,
  listDlq,
  purgeDlq,
  replayDlq,
  showDlq,
} from '../../../platform-core/src/application/dlq/dlq-operations.js';
import type { DlqEntry } from '../../../platform-core/src/domain/catalog/dlq-entry.js';
import { freshTenant, publishData, recorder, snapshotOf, type EventContext } from '../contract/event-context.js';

export function dlqContract(get: () => EventContext): void {
  describe('DLQ operations', () => {
    it('replays an entry to the group that failed it, once, and only on request', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h, 'dlq');
      let failing = true;
      const { handler, seen } = recorder(async () => {
        if (failing) throw new Error('downstream unavailable');
      });
      const sub = await bus.subscribe({ tenantId: tenant.id, group: 'reader', topics: 'all', handler });
      const other = recorder();
      const sub2 = await bus.subscribe({
        tenantId: tenant.id,
        group: 'bystander',
        topics: 'all',
        handler: other.handler,
      });
      await publishData(h, bus, tenant, 'orders', 1);
      await Promise.all([sub.caughtUp(), sub2.caughtUp()]);
      const [entry] = (await listDlq(h.catalog, tenant.id, { status: 'pending' })).items;
      expect(entry).toMatchObject({ stage: 'execution', consumerGroup: 'reader', attempts: 3 });
      expect(await showDlq(h.catalog, tenant.id, entry!.id)).toEqual(entry);
      failing = false;
      await Promise.all([sub.caughtUp(), sub2.caughtUp()]);
      const data = () => seen.filter((e) => e.eventType === 'DataAvailable').map(snapshotOf);
      expect(data()).toEqual([]); // nothing is replayed automatically
      expect(seen.map((e) => e.eventType)).toEqual(['EventDeadLettered']);
      const result = await replayDlq({ catalog: h.catalog, bus }, tenant.id, entry!.id);
      expect(result).toMatchObject({ entry: { status: 'replayed' }, target: { group: 'reader' } });
      await Promise.all([sub.caughtUp(), sub2.caughtUp()]);
      expect(data()).toEqual(['snap-0']);
      expect(other.seen.filter((e) => e.eventType === 'DataAvailable').map(snapshotOf)).toEqual(['snap-0']);
      await expect(replayDlq({ catalog: h.catalog, bus }, tenant.id, entry!.id)).rejects.toMatchObject({
        code: 'invalid_dlq_transition',
      });
      await Promise.all([sub.close(), sub2.close()]);
    });

    it('acknowledges and purges; refuses what the status machine forbids; never replays what cannot parse', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h, 'dlq');
      const add = (over: Partial<DlqEntry> = {}) =>
        h.catalog.forTenant(tenant.id).dlq.add({
          stage: 'parse_failure',
          event: '{"broken',
          error: {
            name: 'HekimaError',
            kind: 'Permanent',
            code: 'event_malformed_json',
            message: 'x',
            retryable: false,
          },
          attempts: 1,
          consumerGroup: 'reader',
          ...over,
        } as never);
      const unparseable = await add();
      await expect(replayDlq({ catalog: h.catalog, bus }, tenant.id, unparseable.id)).rejects.toMatchObject({
        code: 'dlq_entry_unparseable',
      });
      expect((await ackDlq(h.catalog, tenant.id, unparseable.id)).status).toBe('acknowledged');
      const orphan = await add({ stage: 'execution', consumerGroup: undefined });
      await expect(replayDlq({ catalog: h.catalog, bus }, tenant.id, orphan.id)).rejects.toMatchObject({
        code: 'dlq_entry_not_replayable',
      });
      const replayed: string[] = [];
      await replayDlq(
        { catalog: h.catalog, bus, replayers: { execution: async (e) => void replayed.push(e.id) } },
        tenant.id,
        orphan.id,
      );
      expect(replayed).toEqual([orphan.id]);
      const pending = await add();
      expect((await purgeDlq(h.catalog, tenant.id, { status: 'acknowledged' })).map((e) => e.id)).toEqual([
        unparseable.id,
      ]);
      expect((await purgeDlq(h.catalog, tenant.id, { ids: [pending.id] }))[0]).toMatchObject({
        status: 'purged',
        resolvedAt: expect.any(String),
      });
      await expect(ackDlq(h.catalog, tenant.id, pending.id)).rejects.toMatchObject({
        kind: 'InvalidState',
        code: 'invalid_dlq_transition',
      });
      await expect(showDlq(h.catalog, tenant.id, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
        code: 'dlq_entry_not_found',
      });
      expect((await listDlq(h.catalog, tenant.id, { status: 'purged' })).items).toHaveLength(2);
    });
  });
}
