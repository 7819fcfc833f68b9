import { describe, expect, it } from 'vitest';
import { downstreamOf, highestClassification, qualityEvents } from './quality-events.js';
import { gateOutcome, type CheckOutcome } from './quality-result.js';

const check = (over: Partial<CheckOutcome>): CheckOutcome => ({
  name: 'c',
  type: 'volume',
  severity: 'error',
  blocking: true,
  status: 'passed',
  measured: 3,
  threshold: { min: 1 },
  message: 'passed: 3 rows',
  samples: [{ secret: 'row value' }],
  ...over,
});

const context = { productId: 'p1', productName: 'sales', downstream: ['report'], classification: 'internal' as const };

describe('qualityEvents', () => {
  it('one event per check: Failed for a failing blocking check, Completed for the others (failing warn included)', () => {
    const gate = gateOutcome([
      check({ name: 'rows' }),
      check({ name: 'nulls', status: 'failed', measured: 0.5, message: 'failed: 0.5 non-null' }),
      check({ name: 'fresh', severity: 'warn', blocking: false, status: 'failed', measured: 7200 }),
    ]);
    expect(qualityEvents(gate, context).map((e) => [e.eventType, e.payload.check_name])).toEqual([
      ['QualityCheckCompleted', 'rows'],
      ['QualityCheckFailed', 'nulls'],
      ['QualityCheckCompleted', 'fresh'],
    ]);
    const [, failed, warn] = qualityEvents(gate, context);
    expect(failed!.payload).toMatchObject({
      measured: 0.5,
      threshold: { min: 1 },
      severity: 'error',
      error_detail: 'failed: 0.5 non-null',
      downstream_affected: ['report'],
    });
    expect(warn!.payload).toMatchObject({ passed: false, severity: 'warn', status: 'failed', measured: 7200 });
  });

  it('never carries sample rows', () => {
    const gate = gateOutcome([check({ status: 'failed' })]);
    expect(JSON.stringify(qualityEvents(gate, context))).not.toContain('row value');
  });

  it('withholds the measured value of custom_sql and custom_python checks unless the product is public', () => {
    const gate = gateOutcome([
      check({ type: 'custom_sql', status: 'failed', measured: { email: 'a@b.c' }, message: 'email = a@b.c' }),
      check({ type: 'custom_python', blocking: false, severity: 'warn', measured: 'Amina' }),
    ]);
    const [sql, python] = qualityEvents(gate, { ...context, classification: 'confidential' });
    expect(sql!.payload).not.toHaveProperty('measured');
    expect(python!.payload).not.toHaveProperty('measured');
    expect(sql!.payload).toMatchObject({ measured_withheld: 'confidential' });
    expect(JSON.stringify([sql, python])).not.toMatch(/a@b\.c|Amina/);
    const [open] = qualityEvents(gate, { ...context, classification: 'public' });
    expect(open!.payload).toMatchObject({ measured: { email: 'a@b.c' } });
  });
});

describe('highestClassification and downstreamOf', () => {
  it('takes the highest of the product and its columns', () => {
    expect(highestClassification('internal', [{ classification: null }, { classification: 'restricted' }])).toBe(
      'restricted',
    );
    expect(highestClassification('public', [{}])).toBe('public');
    expect(highestClassification(null, [])).toBe('internal');
  });

  it('lists readers transitively, nearest first, once each', () => {
    const graph = [
      { name: 'a', upstream: [] },
      { name: 'b', upstream: ['a'] },
      { name: 'c', upstream: ['a'] },
      { name: 'd', upstream: ['b', 'c'] },
    ];
    expect(downstreamOf('a', graph)).toEqual(['b', 'c', 'd']);
    expect(downstreamOf('d', graph)).toEqual([]);
  });
});
