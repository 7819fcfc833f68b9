import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyFallback,
  dayWindow,
  dueFallbacks,
  isSatisfied,
  openCorrelation,
  recordArrival,
  runKey,
} from './correlation.js';
import { buildSubscriptionMap, consumerSpec, type ConsumerSpec } from './subscription-map.js';

const HOUR = 3_600_000;
const t0 = new Date('2026-11-23T06:00:00.000Z');
const consumer: ConsumerSpec = {
  productId: 'p',
  productName: 'daily',
  productVersionId: 'v1',
  windowKind: 'day',
  requirements: { cpuMillis: 500, memoryBytes: 2 ** 30 },
  retry: { maxAttempts: 3, backoff: 'exponential', initialDelayMs: 30_000 },
  inputs: [
    { id: 'orders', required: true, timeoutMs: HOUR, fallback: 'fail', mapping: 'same_day' },
    { id: 'fx', required: true, timeoutMs: 2 * HOUR, fallback: 'use_cached', mapping: 'latest' },
    { id: 'promo', required: false, timeoutMs: HOUR, fallback: 'skip', mapping: 'same_day' },
  ],
};
const arrival = (id: string) => ({ eventId: id, at: t0.toISOString() });

describe('correlation (pure)', () => {
  it('maps an event to the day it names, else to the UTC day of its timestamp', () => {
    expect(dayWindow({ windowId: '2026-11-20', timestamp: '2026-11-23T10:00:00Z' })).toBe('2026-11-20');
    expect(dayWindow({ windowId: '2026-11-20T22:00:00Z', timestamp: '2026-11-23T10:00:00Z' })).toBe('2026-11-20');
    expect(dayWindow({ windowId: 'batch-7', timestamp: '2026-11-23T23:59:59.999Z' })).toBe('2026-11-23');
    fc.assert(
      fc.property(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }), (d) => {
        expect(dayWindow({ timestamp: d.toISOString() })).toBe(d.toISOString().slice(0, 10));
      }),
    );
  });

  it('completes when every required input arrived (optional ones never block), carrying latest inputs', () => {
    const opened = openCorrelation('t', consumer, '2026-11-23', t0, { fx: { status: 'arrived', eventId: 'fx-1' } });
    expect(opened).toMatchObject({
      state: 'open',
      deadlineAt: '2026-11-23T07:00:00.000Z',
      inputs: { fx: { status: 'arrived' }, orders: { status: 'waiting' } },
    });
    const done = recordArrival(opened, 'orders', arrival('o-1'));
    expect(done.state).toBe('complete');
    expect(done.deadlineAt).toBeUndefined();
    expect(isSatisfied(done)).toBe(true);
    expect(recordArrival(done, 'promo', arrival('late'))).toBe(done); // closed: unchanged
    expect(runKey(done)).toBe('v1:2026-11-23');
  });

  it('applies fallbacks at each input’s own deadline, and the deadline follows the earliest waiting input', () => {
    const open = openCorrelation('t', consumer, '2026-11-23', t0);
    expect(dueFallbacks(open, new Date(t0.getTime() + HOUR - 1))).toEqual([]);
    const due = dueFallbacks(open, new Date(t0.getTime() + HOUR));
    expect(due.map((d) => [d.input.id, d.fallback])).toEqual([['orders', 'fail']]);
    const afterOrders = recordArrival(open, 'orders', arrival('o'));
    expect(afterOrders.deadlineAt).toBe('2026-11-23T08:00:00.000Z');
    const cached = applyFallback(
      afterOrders,
      'fx',
      { status: 'cached', snapshotId: 's-1', reason: 'r' },
      new Date(t0.getTime() + 2 * HOUR),
    );
    expect(cached).toMatchObject({ state: 'complete', inputs: { fx: { status: 'cached', snapshotId: 's-1' } } });
    const failed = applyFallback(open, 'orders', { status: 'failed', reason: 'orders never came' }, t0);
    expect(failed).toMatchObject({ state: 'failed', reason: 'orders never came' });
  });

  it('builds the subscription map from event-scheduled products with data_product inputs (defaults 4h, fail, latest)', () => {
    const spec = consumerSpec({
      productId: 'c',
      productName: 'consumer',
      productVersionId: 'v',
      manifests: {
        'inputs.yaml': {
          inputs: [
            { id: 'a', type: 'data_product' },
            { id: 'raw', type: 'connector', connector_ref: 'db' },
          ],
          defaults: { fallback: 'skip' },
        },
        Compute: { resources: { memory: '4Gi' }, retry: { max_attempts: 5 } },
      },
    });
    expect(spec).toMatchObject({
      windowKind: 'latest',
      inputs: [{ id: 'a', required: true, timeoutMs: 4 * HOUR, fallback: 'skip', mapping: 'latest' }],
    });
    expect(spec?.requirements).toEqual({ cpuMillis: 500, memoryBytes: 4 * 2 ** 30 });
    expect(spec?.retry.maxAttempts).toBe(5);
    expect(
      consumerSpec({
        productId: 'm',
        productName: 'm',
        productVersionId: 'v',
        manifests: { compute: { schedule: { type: 'cron' } }, inputs: { inputs: [{ id: 'a', type: 'data_product' }] } },
      }),
    ).toBeUndefined();
    const map = buildSubscriptionMap([
      {
        productId: 'c',
        productName: 'consumer',
        productVersionId: 'v',
        manifests: {
          inputs: {
            inputs: [
              { id: 'a', type: 'data_product' },
              { id: 'b', type: 'data_product' },
            ],
          },
        },
      },
    ]);
    expect([...map.byUpstream.keys()]).toEqual(['a', 'b']);
    expect(map.names.get('c')).toBe('consumer');
  });
});
