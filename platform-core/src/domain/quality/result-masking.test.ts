import { describe, expect, it } from 'vitest';
import { MASKED } from './masking.js';
import type { CheckOutcome } from './quality-result.js';
import { gateOutcome } from './quality-result.js';
import { qualityEvents } from './quality-events.js';
import {
  authoredLevel,
  maskOutcome,
  publicOutcome,
  UNKNOWN_CLASSIFICATION,
  withPublicErrors,
} from './result-masking.js';

const classification = { product: 'confidential', columns: { id: 'internal', email: 'confidential', n: 'public' } };

const outcome = (over: Partial<CheckOutcome>): CheckOutcome => ({
  name: 'c',
  type: 'regex',
  severity: 'error',
  blocking: true,
  status: 'failed',
  measured: 2,
  threshold: { pattern: 'x' },
  message: 'failed: 2 row(s) of email do not match /x/',
  samples: [{ id: 'C1', email: 'a@x.io', n: 1, occurrences: 3 }],
  ...over,
});

describe('maskOutcome', () => {
  it('built-in checks: samples by column (unnamed columns at the product level); counts stay', () => {
    const { outcome: seen, masked, revealed, level } = maskOutcome(outcome({}), classification, 'internal');
    expect(seen.samples).toEqual([{ id: 'C1', email: MASKED, n: 1, occurrences: MASKED }]);
    expect(seen.measured).toBe(2);
    expect(seen.message).toContain('2 row(s)');
    expect(masked).toEqual(['email', 'occurrences']);
    expect(revealed).toEqual(['id']);
    expect(level).toBe('confidential');
  });

  it('custom_sql and custom_python values carry the highest column level, whatever the alias', () => {
    const custom = outcome({
      type: 'custom_sql',
      measured: { city: 'a@x.io', failures: 1 },
      message: 'failed: city = a@x.io',
    });
    for (const type of ['custom_sql', 'custom_python']) {
      const { outcome: seen } = maskOutcome({ ...custom, type }, classification, 'internal');
      expect(JSON.stringify(seen)).not.toContain('a@x.io');
      expect(seen.measured).toEqual({ city: MASKED, failures: MASKED });
      expect(seen.samples).toEqual([{ id: MASKED, email: MASKED, n: MASKED, occurrences: MASKED }]);
      expect(seen.threshold).toEqual({ pattern: 'x' });
    }
    expect(maskOutcome(custom, classification, 'confidential').outcome).toEqual(custom);
  });

  it('an error message and a freshness age carry the authored level', () => {
    const error = outcome({ status: 'error', message: "error: Could not convert string 'a@x.io'", measured: null });
    expect(maskOutcome(error, classification, 'internal').outcome.message).not.toContain('a@x.io');
    const fresh = outcome({
      type: 'freshness',
      measured: 42.5,
      message: 'failed: the newest updated_at is 42.5 s old',
    });
    expect(maskOutcome(fresh, classification, 'internal').outcome.measured).toBe(MASKED);
  });

  it('fails closed: unknown clearance reads public only; unknown classification is restricted', () => {
    expect(maskOutcome(outcome({}), classification, 'admin').outcome.samples).toEqual([
      { id: MASKED, email: MASKED, n: 1, occurrences: MASKED },
    ]);
    expect(maskOutcome(outcome({}), UNKNOWN_CLASSIFICATION, 'confidential').outcome.samples).toEqual([
      { id: MASKED, email: MASKED, n: MASKED, occurrences: MASKED },
    ]);
    expect(publicOutcome(outcome({}), classification).samples).toEqual([
      { id: MASKED, email: MASKED, n: 1, occurrences: MASKED },
    ]);
  });

  it('authoredLevel: the highest column level, else the product level, else public', () => {
    expect(authoredLevel(classification)).toBe('confidential');
    expect(authoredLevel({ product: 'internal', columns: { a: undefined } })).toBe('internal');
    expect(authoredLevel({ columns: {} })).toBe('public');
  });
});

describe('withPublicErrors', () => {
  it('the QualityCheckFailed of a check that could not run does not quote the value its error names', () => {
    const broken = outcome({ status: 'error', measured: null, message: "error: Could not convert string 'a@x.io'" });
    const gate = withPublicErrors(gateOutcome([broken, outcome({ name: 'ok', status: 'passed' })]), classification);
    const events = qualityEvents(gate, {
      productId: '00000000-0000-4000-8000-000000000001',
      productName: 'customers',
      downstream: [],
      classification: 'confidential',
    });
    expect(events.map((e) => e.eventType)).toEqual(['QualityCheckFailed', 'QualityCheckCompleted']);
    expect(JSON.stringify(events)).not.toContain('a@x.io');
    expect(gate.checks[1]).toEqual(outcome({ name: 'ok', status: 'passed' }));
  });
});
