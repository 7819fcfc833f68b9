import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXECUTION_STATES, type ExecutionState } from '../catalog/execution.js';
import {
  EXECUTION_PHASES,
  EXECUTION_TRANSITIONS,
  LEASED_STATES,
  assertExecutionTransition,
  canTransitionExecution,
  isTerminalState,
  phasePath,
  phaseState,
} from './execution-lifecycle.js';

const state = fc.constantFrom(...EXECUTION_STATES);

describe('execution state machine', () => {
  it('has exactly the four terminal states of the catalog', () => {
    expect(EXECUTION_STATES.filter(isTerminalState)).toEqual(['succeeded', 'failed', 'skipped', 'cancelled']);
  });

  it('reaches a terminal state from every state, and failed/cancelled from every live one', () => {
    for (const from of EXECUTION_STATES) {
      const seen = new Set<ExecutionState>([from]);
      const todo = [from];
      while (todo.length) {
        for (const to of EXECUTION_TRANSITIONS[todo.pop()!]) {
          if (seen.has(to)) continue;
          seen.add(to);
          todo.push(to);
        }
      }
      expect([...seen].some(isTerminalState), from).toBe(true);
      if (!isTerminalState(from))
        expect(canTransitionExecution(from, 'failed') && canTransitionExecution(from, 'cancelled')).toBe(true);
    }
  });

  it('only the promoting phase may succeed, and only leased states go back to ready', () => {
    fc.assert(
      fc.property(state, state, (from, to) => {
        const ok = canTransitionExecution(from, to);
        if (to === 'succeeded') expect(ok).toBe(from === 'promoting');
        if (to === 'ready' && ok) expect(from === 'pending' || LEASED_STATES.includes(from)).toBe(true);
        if (to === 'running' && ok) expect(from).toBe('ready');
        if (ok) expect(() => assertExecutionTransition(from, to)).not.toThrow();
        else
          expect(() => assertExecutionTransition(from, to)).toThrow(
            expect.objectContaining({ code: 'invalid_transition' }),
          );
      }),
    );
  });

  it('walks the phases forward only, through every leased state in between', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LEASED_STATES), fc.constantFrom(...EXECUTION_PHASES), (from, phase) => {
        const i = LEASED_STATES.indexOf(from);
        const j = LEASED_STATES.indexOf(phaseState(phase));
        if (j < i) {
          expect(() => phasePath(from, phase)).toThrow(expect.objectContaining({ code: 'phase_backwards' }));
          return;
        }
        const path = phasePath(from, phase);
        expect(path).toEqual(LEASED_STATES.slice(i + 1, j + 1));
        let at = from;
        for (const next of path) expect(canTransitionExecution(at, (at = next))).toBe(true);
      }),
    );
  });
});
