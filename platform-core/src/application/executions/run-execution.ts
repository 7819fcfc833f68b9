import type { ExecutionState } from '../../domain/catalog/execution.js';
import { hasErrorKind, isHekimaError, permanent, type HekimaError } from '../../domain/errors.js';
import { phasePath, type ExecutionPhase } from '../../domain/execution/execution-lifecycle.js';
import { decideRetry } from '../../domain/execution/execution-retry.js';
import type { JsonObject } from '../../domain/json.js';
import type { ExecutionHandler, StepPlan, StepRunner } from '../../ports/execution-handler.js';
import type { ExecutionLease } from '../../ports/execution-queue.js';
import type { Logger } from '../../ports/logger.js';
import { checkPlan } from './check-plan.js';

export type RunOutcome = 'succeeded' | 'failed' | 'retrying' | 'released' | 'lost';

export interface RunDeps {
  readonly handler: ExecutionHandler;
  readonly runner: StepRunner;
  readonly logger: Logger;
  /** True once the worker is stopping: an aborted step then releases the execution instead of failing it. */
  readonly stopping: () => boolean;
}

/**
 * Carries out one leased execution: plans its steps, skips those the journal records as
 * succeeded (a resumed or retried run continues after its last completed step), runs the others
 * in order while moving through the phases (running → checking → promoting), and settles: success,
 * a retry per compute.yaml for retryable errors, failure otherwise. Every write is fenced by the
 * lease; once it is lost the run stops quietly (another worker owns the execution).
 */
export async function runExecution(lease: ExecutionLease, deps: RunDeps, signal: AbortSignal): Promise<RunOutcome> {
  const { execution } = lease;
  const log = deps.logger.child({ executionId: execution.id, tenantId: execution.tenantId });
  let state: ExecutionState = execution.state;
  const moveTo = async (phase: ExecutionPhase) => {
    for (const to of phasePath(state, phase)) {
      await lease.advance(
        to,
        to === 'checking' ? 'transform done; quality gate' : 'quality gate passed; promoting',
        signal,
      );
      state = to;
    }
  };
  let current: StepPlan | undefined;
  try {
    const plan = checkPlan(await deps.handler.plan(execution, signal));
    const done = new Map((await lease.steps(signal)).filter((s) => s.state === 'succeeded').map((s) => [s.name, s]));
    const outputs: Record<string, JsonObject> = {};
    for (const [index, step] of plan.entries()) {
      const prior = done.get(step.name);
      if (prior) {
        outputs[step.name] = prior.output ?? {};
        continue;
      }
      await moveTo(step.phase);
      current = step;
      await lease.startStep(step.name, index + 1, signal);
      const started = performance.now();
      const output = await deps.runner
        .run(step, {
          execution,
          attempt: Math.max(1, execution.attempt),
          idempotencyKey: `${execution.id}:${step.name}`,
          outputs: { ...outputs },
          signal,
          logger: log.child({ step: step.name }),
        })
        .catch(async (e: unknown) => {
          const error = asHekimaError(e);
          if (!isLost(error)) await lease.failStep(step.name, error.toJSON(), performance.now() - started);
          throw error;
        });
      await lease.completeStep(step.name, output ?? {}, performance.now() - started);
      outputs[step.name] = output ?? {};
      current = undefined;
    }
    await moveTo('promote');
    await lease.finish('succeeded', `${plan.length} step(s) completed`);
    return 'succeeded';
  } catch (e) {
    return settle(lease, asHekimaError(e), current, deps, log, signal);
  }
}

async function settle(
  lease: ExecutionLease,
  error: HekimaError,
  step: StepPlan | undefined,
  deps: RunDeps,
  log: Logger,
  signal: AbortSignal,
): Promise<RunOutcome> {
  const at = step ? ` in step ${step.name}` : '';
  try {
    if (isLost(error) || (signal.aborted && isLost(signal.reason))) {
      log.warn('lease lost; another worker owns the execution now', { error: error.code });
      return 'lost';
    }
    if (deps.stopping() && (signal.aborted || hasErrorKind(error, 'Cancelled'))) {
      await lease.release(`worker ${lease.workerId} stopped${at}; another worker resumes it`);
      return 'released';
    }
    const decision = decideRetry(lease.retryPolicy, Math.max(1, lease.execution.attempt), error);
    if (decision.retry) {
      await lease.retryLater(error.toJSON(), decision.delayMs, `${decision.reason}${at}`);
      log.info('attempt failed; retry scheduled', { error: error.code, delayMs: decision.delayMs });
      return 'retrying';
    }
    await lease.finish('failed', `${decision.reason}${at}: ${error.message}`, error.toJSON());
    log.info('execution failed', { error: error.code });
    return 'failed';
  } catch (e) {
    if (isLost(e)) return 'lost';
    throw e;
  }
}

function isLost(e: unknown): boolean {
  return isHekimaError(e) && e.code === 'lease_lost';
}

/** Anything that is not a HekimaError is a bug in a step: Permanent, never retried. */
export function asHekimaError(e: unknown): HekimaError {
  if (isHekimaError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return permanent('step_crashed', `A step threw an unexpected error: ${message}`, { cause: e });
}
