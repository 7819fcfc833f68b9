import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, type AuditEntry } from '../catalog/audit-entry.js';
import { AuditChainVerifier, auditHash, auditHashInput } from './audit-chain.js';
import { canonicalJson } from './canonical-json.js';

const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');
const TENANT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

function chain(n: number): AuditEntry[] {
  const rows: AuditEntry[] = [];
  for (let seq = 1; seq <= n; seq += 1) {
    const content = {
      seq,
      eventId: `evt-${seq}`,
      eventType: 'DataAvailable',
      correlationId: `corr-${seq}`,
      payload: { n: seq, nested: { b: 1, a: [1, 'x'] } },
      occurredAt: `2026-11-23T10:00:0${seq % 10}.000Z`,
      prevHash: rows[seq - 2]?.hash ?? GENESIS_HASH,
    };
    rows.push({
      ...content,
      id: `id-${seq}`,
      tenantId: TENANT,
      createdAt: content.occurredAt,
      hash: auditHash(sha256, TENANT, content),
    });
  }
  return rows;
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' } })).toBe('{"a":{"c":"x","d":[true,null]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

describe('audit hash chain', () => {
  it('hashes content, tenant and prev_hash; an intact chain verifies across pages', () => {
    const rows = chain(7);
    expect(auditHashInput(TENANT, rows[0]!)).toContain(`"prev_hash":"${GENESIS_HASH}"`);
    expect(auditHash(sha256, 'another-tenant', rows[0]!)).not.toBe(rows[0]!.hash);
    const v = new AuditChainVerifier(TENANT, sha256);
    expect(v.feed(rows.slice(0, 3)) && v.feed(rows.slice(3))).toBe(true);
    expect([v.checked, v.lastSeq, v.break]).toEqual([7, 7, undefined]);
  });

  it.each([
    ['an edited payload', (r: AuditEntry[]) => (r[3] = { ...r[3]!, payload: { n: 99 } }), 4, 'hash_mismatch'],
    [
      'an edited occurred_at',
      (r: AuditEntry[]) => (r[0] = { ...r[0]!, occurredAt: '2020-01-01T00:00:00.000Z' }),
      1,
      'hash_mismatch',
    ],
    ['a deleted row', (r: AuditEntry[]) => r.splice(2, 1), 3, 'missing_rows'],
    ['two deleted rows', (r: AuditEntry[]) => r.splice(1, 2), 2, 'missing_rows'],
    [
      'a row rewritten with a fresh hash',
      (r: AuditEntry[]) => {
        const forged = { ...r[4]!, payload: { forged: true } };
        r[4] = { ...forged, hash: auditHash(sha256, TENANT, forged) };
      },
      6,
      'prev_hash_mismatch',
    ],
  ])('reports the first seq that breaks after %s', (_what, tamper, seq, reason) => {
    const rows = chain(7);
    tamper(rows);
    const v = new AuditChainVerifier(TENANT, sha256);
    expect(v.feed(rows)).toBe(false);
    expect(v.break).toMatchObject({ seq, reason });
    expect(v.checked).toBe(seq - 1);
  });
});
