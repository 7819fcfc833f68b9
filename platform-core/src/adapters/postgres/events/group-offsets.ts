import type { SqlDatabase, SqlExecutor } from '../../../ports/sql-database.js';

/** A partition key of the log: topic + key (one product's events on one topic). */
export const keyId = (topic: string, key: string): string => `${topic}\u0000${key}`;

export interface LoadedOffsets {
  /** Everything at or below this log position is done for the group. */
  readonly watermark: number;
  /** Per partition key, positions above the watermark already committed. */
  readonly keys: Map<string, number>;
}

export interface OffsetCommit {
  readonly watermark: number;
  readonly keys: ReadonlyMap<string, { readonly topic: string; readonly key: string; readonly position: number }>;
  /** Event ids the group handled successfully (de-duplication). */
  readonly handled: readonly string[];
}

/**
 * Offsets, de-duplication marks and the group lease of one (tenant, group) in the PostgreSQL log.
 * Everything runs as the tenant (RLS). The lease makes one member of a group active at a time;
 * every commit renews it and is refused (`false`) when another member took it over (fencing).
 */
export class GroupOffsets {
  constructor(
    private readonly db: SqlDatabase,
    private readonly tenantId: string,
    private readonly group: string,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /** Takes or renews the lease; false while another live member holds it. */
  acquire(signal?: AbortSignal): Promise<boolean> {
    return this.db.withTenant(this.tenantId, (sql) => this.#lease(sql), signal);
  }

  async release(): Promise<void> {
    await this.db.withTenant(this.tenantId, (sql) =>
      sql.query('DELETE FROM consumer_leases WHERE tenant_id = $1 AND consumer_group = $2 AND owner = $3', [
        this.tenantId,
        this.group,
        this.owner,
      ]),
    );
  }

  load(signal?: AbortSignal): Promise<LoadedOffsets> {
    return this.db.withTenant(
      this.tenantId,
      async (sql) => {
        const { rows } = await sql.query(
          'SELECT topic, partition_key, position FROM consumer_offsets WHERE tenant_id = $1 AND consumer_group = $2',
          [this.tenantId, this.group],
        );
        let watermark = 0;
        const keys = new Map<string, number>();
        for (const row of rows) {
          const topic = String(row['topic']);
          const key = String(row['partition_key']);
          if (topic === '' && key === '') watermark = Number(row['position']);
          else keys.set(keyId(topic, key), Number(row['position']));
        }
        return { watermark, keys };
      },
      signal,
    );
  }

  /** Commits offsets and marks in one transaction; false (nothing written) when the lease was lost. */
  commit(commit: OffsetCommit): Promise<boolean> {
    return this.db.withTenant(this.tenantId, async (sql) => {
      if (!(await this.#lease(sql))) return false;
      const topics = [''];
      const keys = [''];
      const positions = [String(commit.watermark)];
      for (const k of commit.keys.values()) {
        if (k.position <= commit.watermark) continue;
        topics.push(k.topic);
        keys.push(k.key);
        positions.push(String(k.position));
      }
      await sql.query(
        `INSERT INTO consumer_offsets (tenant_id, consumer_group, topic, partition_key, position)
         SELECT $1, $2, v.topic, v.key, v.pos::bigint FROM unnest($3::text[], $4::text[], $5::text[]) AS v(topic, key, pos)
         ON CONFLICT (tenant_id, consumer_group, topic, partition_key)
         DO UPDATE SET position = GREATEST(consumer_offsets.position, EXCLUDED.position)`,
        [this.tenantId, this.group, topics, keys, positions],
      );
      await sql.query(
        `DELETE FROM consumer_offsets WHERE tenant_id = $1 AND consumer_group = $2
           AND NOT (topic = '' AND partition_key = '') AND position <= $3::bigint`,
        [this.tenantId, this.group, String(commit.watermark)],
      );
      if (commit.handled.length > 0) {
        await sql.query(
          `INSERT INTO consumed_events (tenant_id, consumer_group, event_id)
           SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`,
          [this.tenantId, this.group, commit.handled],
        );
      }
      return true;
    });
  }

  /** Which of these event ids the group has already handled. */
  async handledAmong(sql: SqlExecutor, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const { rows } = await sql.query(
      'SELECT event_id FROM consumed_events WHERE tenant_id = $1 AND consumer_group = $2 AND event_id = ANY($3::text[])',
      [this.tenantId, this.group, eventIds],
    );
    return new Set(rows.map((r) => String(r['event_id'])));
  }

  /** The committed watermark as stored (another member's progress counts too). */
  committedWatermark(signal?: AbortSignal): Promise<number> {
    return this.db.withTenant(
      this.tenantId,
      async (sql) =>
        Number(
          (
            await sql.query(
              `SELECT position FROM consumer_offsets WHERE tenant_id = $1 AND consumer_group = $2 AND topic = '' AND partition_key = ''`,
              [this.tenantId, this.group],
            )
          ).rows[0]?.['position'] ?? 0,
        ),
      signal,
    );
  }

  async #lease(sql: SqlExecutor): Promise<boolean> {
    const { rows } = await sql.query(
      `INSERT INTO consumer_leases (tenant_id, consumer_group, owner, expires_at)
       VALUES ($1, $2, $3, now() + $4::integer * interval '1 millisecond')
       ON CONFLICT (tenant_id, consumer_group) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
       WHERE consumer_leases.owner = EXCLUDED.owner OR consumer_leases.expires_at < now()
       RETURNING owner`,
      [this.tenantId, this.group, this.owner, this.leaseMs],
    );
    return rows.length === 1;
  }
}
