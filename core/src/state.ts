/** Spec state and actual state: the inactive set and when to poll. */
import type { ActualState, DesiredState } from './model/generated';

/** Actual states in which no job runs; a deployment in one of them may be deleted. */
export const INACTIVE_STATES: readonly ActualState[] = ['CANCELLED', 'SUSPENDED', 'FAILED', 'FINISHED'];

/** Desired states VVP accepts a DELETE in. */
export const DELETABLE_SPEC_STATES: readonly DesiredState[] = ['CANCELLED', 'SUSPENDED'];

/** True when the actual state is inactive (CANCELLED, SUSPENDED, FAILED, FINISHED). */
export function isInactive(actual: string | undefined): boolean {
  return actual !== undefined && (INACTIVE_STATES as readonly string[]).includes(actual);
}

/** True when VVP would refuse a DELETE because the spec state is neither CANCELLED nor SUSPENDED (set CANCELLED first). */
export function needsCancelBeforeDelete(spec: string | undefined): boolean {
  return !(DELETABLE_SPEC_STATES as readonly string[]).includes(spec ?? '');
}

/** True when the actual state has reached the spec state. */
export function isConverged(spec: string | undefined, actual: string | undefined): boolean {
  return spec !== undefined && spec === actual;
}

/** Actual states that settle: a deployment in one of them has stopped moving once it equals the spec state. */
export const SETTLED_STATES: readonly string[] = ['RUNNING', 'CANCELLED', 'SUSPENDED', 'FAILED', 'FINISHED'];

/**
 * True while the deployment is moving: actual differs from spec, or VVP reports a state that is not settled
 * (TRANSITIONING, STARTING during an Autopilot scaling of VVP 3, or any state this version does not know).
 */
export function isMoving(spec: string | undefined, actual: string | undefined): boolean {
  return !SETTLED_STATES.includes(actual ?? '') || !isConverged(spec, actual);
}

/** True when the actual state ends a wait for `spec` without reaching it (FAILED, or FINISHED for RUNNING). */
export function isTerminalMismatch(spec: string | undefined, actual: string | undefined): boolean {
  if (spec === actual) return false;
  return actual === 'FAILED' || (spec === 'RUNNING' && actual === 'FINISHED');
}

/**
 * True when VVP answers a definition change with a new job: the deployment runs (spec and actual RUNNING), the job
 * template changed, and the upgrade strategy is not NONE (VVP's default is STATEFUL).
 */
export function startsNewJob(facts: {
  templateChanged: boolean;
  specState: string | undefined;
  actualState: string | undefined;
  upgradeStrategy: string | undefined;
}): boolean {
  return (
    facts.templateChanged &&
    facts.specState === 'RUNNING' &&
    facts.actualState === 'RUNNING' &&
    facts.upgradeStrategy !== 'NONE'
  );
}

/**
 * True when the job ended although the spec says RUNNING (actual FAILED or FINISHED): not a success. Pulumi shows it
 * as a change and `pulumi up` recovers it once (CANCELLED, then RUNNING: a new job attempt; ADR 0008).
 */
export function needsJobRecovery(spec: string | undefined, actual: string | undefined): boolean {
  return spec === 'RUNNING' && isTerminalMismatch(spec, actual);
}
