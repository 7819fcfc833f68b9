import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SqlAnalyzer } from '../../ports/sql-analyzer.js';

// The parse worker needs the compiled worker file: this test runs against the build (`tsc -b`).
const built = fileURLToPath(new URL('../../../dist/adapters/sql/pg-sql-analyzer.js', import.meta.url));

describe.skipIf(!existsSync(built))('PgSqlAnalyzer.prime (built worker)', () => {
  it('gives the same analyses as parsing on the calling thread, errors included', async () => {
    const { PgSqlAnalyzer } = (await import(built)) as { PgSqlAnalyzer: new () => SqlAnalyzer & { primedCount: number } };
    const texts = Array.from({ length: 150 }, (_, i) =>
      i % 10 === 0
        ? `SELECT a, FROM "raw-${i}" WHERE 'café' = x`
        : `WITH c AS (SELECT id, amount_${i} FROM raw_${i}) SELECT c.id, SUM(c.amount_${i}) AS total FROM c GROUP BY c.id`,
    );
    const columns = (table: string) => (table.startsWith('raw_') ? ['id', `amount_${table.slice(4)}`] : undefined);
    const primed = new PgSqlAnalyzer();
    await primed.ready();
    primed.warmUp?.();
    await primed.prime?.(texts);
    expect(primed.primedCount).toBe(texts.length);
    const plain = new PgSqlAnalyzer();
    await plain.ready();
    for (const text of texts) expect(primed.analyze(text, columns)).toEqual(plain.analyze(text, columns));
    expect(primed.primedCount).toBe(0);
    expect(plain.analyze(texts[0]!, columns).error?.message).toMatch(/syntax error/);
  });
});
