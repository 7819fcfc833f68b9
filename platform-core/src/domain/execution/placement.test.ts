import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXPECTED_MS,
  akoScore,
  akoScorePolicy,
  fifoPolicy,
  placementPolicy,
  type PlacementCandidate,
} from './placement.js';
import {
  explainNoFit,
  fits,
  parseCpu,
  parseMemory,
  requirementsFromCompute,
  type WorkerCapacity,
} from './resources.js';

const GiB = 2 ** 30;
const candidate = (
  id: string,
  cpu: number,
  memGiB: number,
  expectedMs?: number,
  createdAt = '2026-11-23T00:00:00.000Z',
): PlacementCandidate => ({
  id,
  createdAt,
  requirements: { cpuMillis: cpu, memoryBytes: memGiB * GiB, ...(expectedMs ? { expectedMs } : {}) },
});

const arbCandidate = fc.record({
  id: fc.uuid(),
  createdAt: fc.integer({ min: 0, max: 10_000 }).map((s) => new Date(Date.UTC(2026, 10, 23) + s * 1000).toISOString()),
  requirements: fc.record(
    {
      cpuMillis: fc.integer({ min: 0, max: 8000 }),
      memoryBytes: fc.integer({ min: 0, max: 16 * GiB }),
      expectedMs: fc.integer({ min: 1, max: 3_600_000 }),
    },
    { requiredKeys: ['cpuMillis', 'memoryBytes'] },
  ),
});
const arbFree = fc.record({
  cpuMillis: fc.integer({ min: 0, max: 16_000 }),
  memoryBytes: fc.integer({ min: 0, max: 32 * GiB }),
});
const arbPolicy = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map((a) => akoScorePolicy(a)),
  fc.constant(fifoPolicy),
);

describe('placement policies', () => {
  it('pick at most `slots`, only candidates, each fitting what the earlier picks left', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(arbCandidate, { selector: (c) => c.id, maxLength: 20 }),
        arbFree,
        fc.integer({ min: 0, max: 8 }),
        arbPolicy,
        (cands, free, slots, policy) => {
          const chosen = policy.choose(cands, free, slots);
          expect(chosen.length).toBeLessThanOrEqual(slots);
          expect(new Set(chosen.map((c) => c.id)).size).toBe(chosen.length);
          let left: WorkerCapacity = free;
          for (const c of chosen) {
            expect(cands).toContain(c);
            expect(fits(c.requirements, left)).toBe(true);
            left = {
              cpuMillis: left.cpuMillis - c.requirements.cpuMillis,
              memoryBytes: left.memoryBytes - c.requirements.memoryBytes,
            };
          }
          // Greedy: when a slot is left, nothing else would still fit.
          if (chosen.length < slots)
            for (const c of cands) if (!chosen.includes(c)) expect(fits(c.requirements, left)).toBe(false);
        },
      ),
    );
  });

  it('AkôScore: α = 0 prefers the shortest expected run, α = 1 the tightest memory fit', () => {
    const free = { cpuMillis: 4000, memoryBytes: 8 * GiB };
    const short = candidate('short', 500, 1, 10_000);
    const tight = candidate('tight', 500, 7, 600_000);
    expect(akoScorePolicy(0).choose([tight, short], free, 1)).toEqual([short]);
    expect(akoScorePolicy(1).choose([short, tight], free, 1)).toEqual([tight]);
    expect(akoScore(tight, free, 600_000, 1)).toBeCloseTo(1 / 8);
    expect(akoScore(short, free, 600_000, 0)).toBeCloseTo(10_000 / 600_000);
  });

  it('scores lie in [0, 1] and equal candidates go oldest first', () => {
    fc.assert(
      fc.property(arbCandidate, arbFree, fc.double({ min: 0, max: 1, noNaN: true }), (c, free, alpha) => {
        const s = akoScore(c, free, Math.max(DEFAULT_EXPECTED_MS, c.requirements.expectedMs ?? 0), alpha);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }),
    );
    const older = candidate('b', 100, 1, 1000, '2026-11-23T00:00:00.000Z');
    const newer = candidate('a', 100, 1, 1000, '2026-11-23T00:00:01.000Z');
    expect(akoScorePolicy(0.5).choose([newer, older], { cpuMillis: 100, memoryBytes: GiB }, 1)).toEqual([older]);
    expect(fifoPolicy.choose([newer, older], { cpuMillis: 1000, memoryBytes: 8 * GiB }, 2)).toEqual([older, newer]);
  });

  it('rejects α outside [0, 1] and unknown policy names', () => {
    expect(() => akoScorePolicy(1.5)).toThrow(expect.objectContaining({ code: 'invalid_alpha' }));
    expect(() => placementPolicy('random')).toThrow(expect.objectContaining({ code: 'unknown_placement' }));
    expect(placementPolicy('akoscore', 0.25).name).toBe('akoscore(α=0.25)');
  });
});

describe('resources', () => {
  it('reads compute.yaml quantities with the defaults 500m and 1Gi', () => {
    expect(requirementsFromCompute(undefined)).toEqual({ cpuMillis: 500, memoryBytes: GiB });
    expect(requirementsFromCompute({ resources: { cpu: '2', memory: '512Mi' } })).toEqual({
      cpuMillis: 2000,
      memoryBytes: 512 * 2 ** 20,
    });
    expect(parseCpu('250m')).toBe(250);
    expect(parseMemory('1G')).toBe(1e9);
    expect(() => parseCpu('lots')).toThrow(expect.objectContaining({ code: 'invalid_quantity' }));
  });

  it('explains why nothing can ever take an execution', () => {
    const need = { cpuMillis: 500, memoryBytes: 8 * GiB };
    expect(explainNoFit(need, [{ cpuMillis: 4000, memoryBytes: 8 * GiB }])).toBeUndefined();
    expect(
      explainNoFit(need, [
        { cpuMillis: 4000, memoryBytes: 4 * GiB },
        { cpuMillis: 1000, memoryBytes: 2 * GiB },
      ]),
    ).toBe('fits no worker: needs 500m CPU and 8Gi memory; the largest live worker offers 4 CPU and 4Gi memory');
    expect(explainNoFit(need, [])).toBe('fits no worker: needs 500m CPU and 8Gi memory; no worker is running');
  });
});
