import { describe, expect, it } from 'vitest';
import { gateOutcome, qualityScore, severityOf, type CheckOutcome } from './quality-result.js';

const check = (name: string, status: CheckOutcome['status'], severity: 'error' | 'warn' = 'error'): CheckOutcome => ({
  name,
  type: 'volume',
  severity,
  blocking: severity === 'error',
  status,
  measured: 0,
  threshold: 0,
  message: '',
  samples: [],
});

describe('quality score and gate outcome', () => {
  it('scores passing / counted × 100, skipped not counted, 100 for nothing', () => {
    expect(qualityScore([])).toBe(100);
    expect(qualityScore([check('a', 'passed'), check('b', 'failed'), check('c', 'error')])).toBe(33.33);
    expect(qualityScore([check('a', 'passed'), check('b', 'skipped')])).toBe(100);
  });

  it('blocks on a failing or erroring error check, never on a warn one', () => {
    expect(gateOutcome([check('w', 'failed', 'warn')])).toMatchObject({ promote: true, score: 0 });
    const blocked = gateOutcome([check('e', 'error'), check('w', 'failed', 'warn'), check('p', 'passed')]);
    expect(blocked.promote).toBe(false);
    expect(blocked.blockingFailures.map((c) => c.name)).toEqual(['e']);
    expect(blocked.warnings.map((c) => c.name)).toEqual(['w']);
  });

  it('reads severities, defaulting to error', () => {
    expect([severityOf('warn'), severityOf('warning'), severityOf('error'), severityOf('blocking')]).toEqual([
      'warn',
      'warn',
      'error',
      'error',
    ]);
  });
});
