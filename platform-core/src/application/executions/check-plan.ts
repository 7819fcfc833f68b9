import { invalidArgument } from '../../domain/errors.js';
import { EXECUTION_PHASES } from '../../domain/execution/execution-lifecycle.js';
import type { StepPlan } from '../../ports/execution-handler.js';

/** A plan is usable when step names are unique and phases never go backwards (Permanent otherwise). */
export function checkPlan(plan: readonly StepPlan[]): readonly StepPlan[] {
  const names = new Set<string>();
  let phase = 0;
  for (const step of plan) {
    if (names.has(step.name)) throw invalid(`two steps are named "${step.name}"`);
    names.add(step.name);
    const p = EXECUTION_PHASES.indexOf(step.phase);
    if (p < 0) throw invalid(`step "${step.name}" has an unknown phase "${step.phase}"`);
    if (p < phase) throw invalid(`step "${step.name}" (${step.phase}) comes after a later phase`);
    phase = p;
  }
  return plan;
}

function invalid(why: string) {
  return invalidArgument('invalid_step_plan', `The execution plan is invalid: ${why}.`, { retryable: false });
}
