import { invalidState } from '../errors.js';
import type { ExecutionState } from '../catalog/execution.js';

/**
 * The execution state machine (issue 4):
 *
 *   pending ──▶ ready ──▶ running ──▶ checking ──▶ promoting ──▶ succeeded
 *      │          ▲ │        │           │             │
 *      │          │ │        ├───────────┴─────────────┴──▶ failed | cancelled
 *      │          │ │        │           │             │
 *      │          └─┼────────┴───────────┴─────────────┘   (retry after a retryable error,
 *      │            │                                         lease expired, worker released it)
 *      └────────────┴──▶ skipped | failed | cancelled
 *
 * `pending`: created, not yet placeable (e.g. waiting for its trigger to settle); `ready`: waiting
 * for a worker; `running` / `checking` / `promoting`: leased by one worker, in the transform,
 * quality-gate and promotion phases. Every transition is recorded with its time and reason by
 * the catalog (trigger on `executions`), and migration 007 enforces this same table in the
 * database (a test compares the two).
 */
export const EXECUTION_TRANSITIONS: Readonly<Record<ExecutionState, readonly ExecutionState[]>> = {
  pending: ['ready', 'skipped', 'failed', 'cancelled'],
  ready: ['running', 'skipped', 'failed', 'cancelled'],
  running: ['checking', 'ready', 'failed', 'cancelled'],
  checking: ['promoting', 'ready', 'failed', 'cancelled'],
  promoting: ['succeeded', 'ready', 'failed', 'cancelled'],
  succeeded: [],
  failed: [],
  skipped: [],
  cancelled: [],
};

/** States in which a worker holds the execution's lease. */
export const LEASED_STATES: readonly ExecutionState[] = ['running', 'checking', 'promoting'];

export function isTerminalState(state: ExecutionState): boolean {
  return EXECUTION_TRANSITIONS[state].length === 0;
}

export function isLeasedState(state: ExecutionState): boolean {
  return LEASED_STATES.includes(state);
}

export function canTransitionExecution(from: ExecutionState, to: ExecutionState): boolean {
  return EXECUTION_TRANSITIONS[from].includes(to);
}

/** InvalidState `invalid_transition` unless `from → to` is in the table. */
export function assertExecutionTransition(from: ExecutionState, to: ExecutionState): void {
  if (!canTransitionExecution(from, to)) {
    throw invalidState('invalid_transition', `An execution cannot go from ${from} to ${to}.`, {
      details: { from, to },
    });
  }
}

/** The phases of a run, in order; each is one leased state. */
export const EXECUTION_PHASES = ['run', 'check', 'promote'] as const;
export type ExecutionPhase = (typeof EXECUTION_PHASES)[number];

const PHASE_STATE: Readonly<Record<ExecutionPhase, ExecutionState>> = {
  run: 'running',
  check: 'checking',
  promote: 'promoting',
};

export function phaseState(phase: ExecutionPhase): ExecutionState {
  return PHASE_STATE[phase];
}

/**
 * The leased states to pass through, in order, to go from `from` to the state of `phase`
 * (empty when already there). Phases only move forward.
 */
export function phasePath(from: ExecutionState, phase: ExecutionPhase): ExecutionState[] {
  const order = LEASED_STATES;
  const i = order.indexOf(from);
  const j = order.indexOf(PHASE_STATE[phase]);
  if (i < 0) throw invalidState('not_leased', `An execution in state ${from} is not running.`);
  if (j < i) {
    throw invalidState('phase_backwards', `A ${phase} step cannot run after the execution reached ${from}.`, {
      details: { from, phase },
    });
  }
  return order.slice(i + 1, j + 1);
}
