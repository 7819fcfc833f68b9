import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockSession, openSession } from './sandbox.js';

describe('DuckDB sandbox', () => {
  it('blocks read_csv, read_parquet, path scans, COPY, ATTACH and unlocking once locked; the output path stays writable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hekima-sandbox-'));
    const secret = join(dir, 'secret.csv');
    writeFileSync(secret, 'a\n1\n');
    const output = join(dir, 'out.parquet');
    const session = await openSession({ threads: 1 });
    try {
      const c = session.connection;
      await c.run(`CREATE TABLE input AS SELECT * FROM read_csv('${secret}')`);
      await lockSession(c, output);
      const blocked = [
        `SELECT * FROM read_csv('${secret}')`,
        `SELECT * FROM read_parquet('${join(dir, 'x.parquet')}')`,
        `SELECT * FROM '${secret}'`,
        `SELECT * FROM read_text('${secret}')`,
        `COPY input TO '${join(dir, 'copy.csv')}'`,
        `ATTACH '${join(dir, 'other.db')}' AS other`,
        `INSTALL httpfs`,
      ];
      for (const sql of blocked)
        await expect(c.run(sql), sql).rejects.toThrow(/disabled by configuration|Permission|not allowed|disabled/i);
      for (const sql of [
        'SET enable_external_access = true',
        "SET allowed_paths = ['/']",
        'RESET lock_configuration',
        'SET lock_configuration = false',
      ]) {
        await expect(c.run(sql), sql).rejects.toThrow(/locked/);
      }
      expect(existsSync(join(dir, 'copy.csv'))).toBe(false);
      expect(existsSync(join(dir, 'other.db'))).toBe(false);
      await c.run(`COPY input TO '${output}' (FORMAT parquet)`);
      expect(existsSync(output)).toBe(true);
      const rows = await c.runAndReadAll('SELECT * FROM input');
      expect(rows.getRowObjectsJson()).toEqual([{ a: '1' }]);
      // The verifier connection shares the lock.
      const v = session.verifier;
      await expect(v.run(`SELECT * FROM read_csv('${secret}')`)).rejects.toThrow(/disabled by configuration/);
      await expect(v.run('SET enable_external_access = true')).rejects.toThrow(/locked/);
      await expect(v.run('SET perfect_ht_threshold = 30')).rejects.toThrow(/locked/);
    } finally {
      session.close();
    }
  });

  it('keeps the given input files readable, and nothing beside them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hekima-sandbox-'));
    const input = join(dir, 'in.csv');
    writeFileSync(input, 'a\n1\n');
    writeFileSync(join(dir, 'other.csv'), 'a\n2\n');
    const session = await openSession({ threads: 1 });
    try {
      const c = session.connection;
      await lockSession(c, join(dir, 'out.parquet'), [input]);
      const rows = await c.runAndReadAll(`SELECT a FROM read_csv('${input}')`);
      expect(rows.getRowObjectsJson()).toEqual([{ a: '1' }]);
      for (const path of [join(dir, 'other.csv'), join(dir, '*.csv'), `${input}.bak`, dir])
        await expect(c.run(`SELECT * FROM read_csv('${path}')`), path).rejects.toThrow(/disabled by configuration/);
    } finally {
      session.close();
    }
  });
});
