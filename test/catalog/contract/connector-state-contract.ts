import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract-context.js';

/** Connector states (docs/adr/0014): committed with compare-and-set, rolled back with their transaction. */
export function connectorStateContract(get: () => ContractContext): void {
  describe('connector states', () => {
    it('saves a first state, then advances it only from the state a run started with', async () => {
      const { catalog, a } = get();
      const scoped = catalog.forTenant(a.tenant.id);
      const first = randomUUID();
      const saved = await scoped.connectorStates.save({
        productId: a.productId,
        inputId: 'cas-input',
        state: { cursor: '10' },
        snapshotId: first,
        expectedSnapshotId: null,
      });
      expect(saved).toMatchObject({
        tenantId: a.tenant.id,
        inputId: 'cas-input',
        snapshotId: first,
        state: { cursor: '10' },
      });
      expect(saved.dataLocation).toBeUndefined();
      expect(await scoped.connectorStates.get(a.productId, 'cas-input')).toEqual(saved);

      // A second "first run" (another run started from no state) must not overwrite it.
      await expect(
        scoped.connectorStates.save({
          productId: a.productId,
          inputId: 'cas-input',
          state: { cursor: '99' },
          snapshotId: randomUUID(),
          expectedSnapshotId: null,
        }),
      ).rejects.toMatchObject({ kind: 'Conflict', code: 'connector_state_changed', retryable: true });

      const second = randomUUID();
      const location = `tenant-${a.tenant.id}/daily-revenue/1.0.0/inputs/cas-input/${randomUUID()}.parquet`;
      const advanced = await scoped.connectorStates.save({
        productId: a.productId,
        inputId: 'cas-input',
        state: { cursor: '20' },
        snapshotId: second,
        dataLocation: location,
        expectedSnapshotId: first,
      });
      expect(advanced).toMatchObject({
        id: saved.id,
        snapshotId: second,
        dataLocation: location,
        state: { cursor: '20' },
      });
      // A run that started from the old state is refused: it would apply the same rows twice.
      await expect(
        scoped.connectorStates.save({
          productId: a.productId,
          inputId: 'cas-input',
          state: { cursor: '20' },
          snapshotId: randomUUID(),
          expectedSnapshotId: first,
        }),
      ).rejects.toMatchObject({ code: 'connector_state_changed' });
      expect((await scoped.connectorStates.ofProduct(a.productId)).map((s) => s.inputId)).toEqual([
        'cas-input',
        'orders',
      ]);
      expect(await scoped.connectorStates.reset(a.productId, 'cas-input')).toBe(true);
      expect(await scoped.connectorStates.get(a.productId, 'cas-input')).toBeUndefined();
    });

    it('a state written in a transaction that fails is not committed (the old state stays)', async () => {
      const { catalog, a } = get();
      const before = await catalog.forTenant(a.tenant.id).connectorStates.get(a.productId, 'orders');
      expect(before).toBeDefined();
      await expect(
        catalog.transaction(a.tenant.id, async (tx) => {
          await tx.connectorStates.save({
            productId: a.productId,
            inputId: 'orders',
            state: { cursor: 'lost' },
            snapshotId: randomUUID(),
            expectedSnapshotId: before!.snapshotId,
          });
          throw new Error('crash inside the commit');
        }),
      ).rejects.toThrow('crash inside the commit');
      expect(await catalog.forTenant(a.tenant.id).connectorStates.get(a.productId, 'orders')).toEqual(before);
    });

    it('refuses bad arguments with a clear error', async () => {
      const { catalog, a } = get();
      const scoped = catalog.forTenant(a.tenant.id);
      await expect(scoped.connectorStates.get('nope', 'orders')).rejects.toMatchObject({ code: 'invalid_id' });
      await expect(scoped.connectorStates.get(a.productId, '')).rejects.toMatchObject({ code: 'invalid_input_id' });
      await expect(
        scoped.connectorStates.save({
          productId: a.productId,
          inputId: 'x',
          state: {},
          snapshotId: 'not-a-uuid',
          expectedSnapshotId: null,
        }),
      ).rejects.toMatchObject({ code: 'invalid_id' });
    });
  });
}
