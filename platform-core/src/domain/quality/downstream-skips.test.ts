import { describe, expect, it } from 'vitest';
import { downstreamSkips } from './downstream-skips.js';
import { gateOutcome } from './quality-result.js';

const blocked = gateOutcome([
  {
    name: 'not_null',
    type: 'completeness',
    severity: 'error',
    blocking: true,
    status: 'failed',
    measured: 0.5,
    threshold: 1,
    message: '',
    samples: [],
  },
]);

describe('downstreamSkips', () => {
  it('lists each transitive consumer once, nearest first, through a diamond and despite a cycle', () => {
    const graph = [
      { name: 'a', upstream: [] },
      { name: 'b', upstream: ['a'] },
      { name: 'c', upstream: ['a'] },
      { name: 'd', upstream: ['b', 'c'] },
      { name: 'e', upstream: ['d', 'e'] },
      { name: 'x', upstream: [] },
    ];
    const skips = downstreamSkips('a', blocked, graph);
    expect(skips.map((s) => s.product)).toEqual(['b', 'c', 'd', 'e']);
    expect(skips[2]).toMatchObject({ blockedBy: 'a', path: ['a', 'b', 'd'] });
    expect(skips[0]!.reason).toContain('upstream a failed its quality gate (not_null)');
  });

  it('skips nothing when the gate let the snapshot through', () => {
    expect(downstreamSkips('a', gateOutcome([]), [{ name: 'b', upstream: ['a'] }])).toEqual([]);
  });
});
