import { describe, expect, it } from 'vitest';
import type { Page } from '../../../platform-core/src/domain/pagination.js';
import type { Team } from '../../../platform-core/src/domain/catalog/team.js';
import { activeTenant, type ContractContext } from './contract-context.js';

/** Cursor pagination: limits, opaque cursors both ways, and ties on equal created_at. */
export function paginationContract(get: () => ContractContext): void {
  describe('cursor pagination', () => {
    const seed = async () => {
      const { catalog, db } = get();
      const t = await activeTenant(get(), 'pager');
      // 30 teams in ONE transaction (all share created_at: ties broken by id) and 15 in their own.
      await catalog.transaction(t.id, async (tx) => {
        for (let i = 0; i < 30; i++) await tx.teams.create({ name: `bulk-${i}` });
      });
      for (let i = 0; i < 15; i++) await catalog.forTenant(t.id).teams.create({ name: `single-${i}` });
      const expected = await db.withTenant(t.id, async (sql) =>
        (await sql.query<{ id: string }>('SELECT id FROM teams ORDER BY created_at DESC, id DESC')).rows.map(
          (r) => r.id,
        ),
      );
      return { t, expected, teams: catalog.forTenant(t.id).teams };
    };
    let seeded: ReturnType<typeof seed> | undefined;
    const data = () => (seeded ??= seed());

    it('walks forward with `after` and back with `before`, in created_at DESC, id DESC order', async () => {
      const { expected, teams } = await data();
      expect(expected).toHaveLength(45);
      const forward: Page<Team>[] = [];
      let page = await teams.list();
      forward.push(page);
      while (page.pageInfo.nextCursor) {
        page = await teams.list({ after: page.pageInfo.nextCursor });
        forward.push(page);
      }
      expect(forward.map((p) => p.items.length)).toEqual([20, 20, 5]);
      expect(forward.flatMap((p) => p.items.map((t) => t.id))).toEqual(expected);
      expect(forward.map((p) => [p.pageInfo.hasPrevious, p.pageInfo.hasNext])).toEqual([
        [false, true],
        [true, true],
        [true, false],
      ]);

      const backward: Page<Team>[] = [page];
      while (page.pageInfo.previousCursor) {
        page = await teams.list({ before: page.pageInfo.previousCursor });
        backward.unshift(page);
      }
      expect(backward.flatMap((p) => p.items.map((t) => t.id))).toEqual(expected);
      expect(backward[0]!.pageInfo).toMatchObject({ hasPrevious: false, hasNext: true });
    });

    it('small limits step through ties one row at a time without skipping or repeating', async () => {
      const { expected, teams } = await data();
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await teams.list({ limit: 7, ...(cursor ? { after: cursor } : {}) });
        seen.push(...page.items.map((t) => t.id));
        cursor = page.pageInfo.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);
      const one = await teams.list({ limit: 1, after: (await teams.list({ limit: 1 })).pageInfo.nextCursor! });
      expect(one.items.map((t) => t.id)).toEqual([expected[1]]);
    });

    it('enforces the limit (default 20, 1–100) and rejects bad or conflicting cursors', async () => {
      const { teams } = await data();
      expect((await teams.list()).items).toHaveLength(20);
      expect((await teams.list({ limit: 100 })).items).toHaveLength(45);
      for (const limit of [0, 101, 1.5, -1]) {
        await expect(teams.list({ limit }), String(limit)).rejects.toMatchObject({
          kind: 'InvalidArgument',
          code: 'invalid_limit',
        });
      }
      const cursor = (await teams.list({ limit: 2 })).pageInfo.nextCursor!;
      await expect(teams.list({ after: cursor, before: cursor })).rejects.toMatchObject({ code: 'cursor_conflict' });
      for (const bad of ['garbage', '', Buffer.from('["x","y"]').toString('base64url'), cursor + '!']) {
        await expect(teams.list({ after: bad }), bad).rejects.toMatchObject({ code: 'invalid_cursor' });
      }
    });

    it('a cursor from one tenant reveals nothing in another (it is only a position)', async () => {
      const { teams } = await data();
      const { catalog, a } = get();
      const cursor = (await teams.list({ limit: 1 })).pageInfo.nextCursor!;
      const page = await catalog.forTenant(a.tenant.id).teams.list({ after: cursor, limit: 100 });
      for (const team of page.items) expect(team.tenantId).toBe(a.tenant.id);
    });
  });
}
