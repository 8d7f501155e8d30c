/** Condition types, reasons and pure builders (docs/contract.md §8). */
import { isTerminalMismatch } from './state';

/** Condition types. */
export const CONSISTENT = 'Consistent';
export type CONSISTENT = typeof CONSISTENT;
export const SPEC_ALIGNED = 'SpecAligned';
export type SPEC_ALIGNED = typeof SPEC_ALIGNED;
export const NONCE_ALIGNED = 'NonceAligned';
export type NONCE_ALIGNED = typeof NONCE_ALIGNED;
export const DELETION_BLOCKED = 'DeletionBlocked';
export type DELETION_BLOCKED = typeof DELETION_BLOCKED;
export const HEALTHY = 'Healthy';
export type HEALTHY = typeof HEALTHY;
export const READY = 'Ready';
export type READY = typeof READY;
/** Informational, present only while Autopilot is ACTIVE (ADR 0011); no input of Healthy. */
export const PARALLELISM_ALIGNED = 'ParallelismAligned';
export type PARALLELISM_ALIGNED = typeof PARALLELISM_ALIGNED;

/** Every condition type. */
export type ConditionType =
  CONSISTENT | SPEC_ALIGNED | NONCE_ALIGNED | DELETION_BLOCKED | PARALLELISM_ALIGNED | HEALTHY | READY;

/** Reasons, by condition. */
export const Reasons = {
  DeploymentExists: 'DeploymentExists',
  CreateFailed: 'CreateFailed',
  DeploymentMissing: 'DeploymentMissing',
  NameConflict: 'NameConflict',
  ApiKeySecretMissing: 'ApiKeySecretMissing',
  Unauthorized: 'Unauthorized',
  VvpUnreachable: 'VvpUnreachable',
  InvalidSpec: 'InvalidSpec',
  ConfigUpdated: 'ConfigUpdated',
  SpecUnchanged: 'SpecUnchanged',
  ProjectionFailed: 'ProjectionFailed',
  StateProjectionSuppressedAutopilot: 'StateProjectionSuppressedAutopilot',
  NoncesProcessed: 'NoncesProcessed',
  SavepointBlocked: 'SavepointBlocked',
  RestartBlocked: 'RestartBlocked',
  NonceSubmissionFailed: 'NonceSubmissionFailed',
  DeploymentActive: 'DeploymentActive',
  RuntimeParallelismMatches: 'RuntimeParallelismMatches',
  AutopilotOverride: 'AutopilotOverride',
  Healthy: 'Healthy',
  JobFailed: 'JobFailed',
  Converged: 'Converged',
  Progressing: 'Progressing',
} as const;
export type Reason = (typeof Reasons)[keyof typeof Reasons];

/** A Kubernetes-style condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** A condition as a reconcile step reports it, before timestamps are applied. */
export interface ConditionUpdate {
  type: ConditionType;
  status: 'True' | 'False';
  reason: Reason;
  message?: string;
}

/** Clock and generation a condition update is stamped with. */
export interface ConditionContext {
  now: string;
  generation: number | undefined;
}

/**
 * Sets one condition: `lastTransitionTime` moves only when the status changes. Returns the new list and whether
 * the condition transitioned (status or reason changed), which is when persistent warnings are sent.
 */
export function setCondition(
  list: readonly Condition[],
  update: ConditionUpdate,
  ctx: ConditionContext,
): { conditions: Condition[]; transitioned: boolean } {
  const existing = list.find((c) => c.type === update.type);
  const statusChanged = !existing || existing.status !== update.status;
  const next: Condition = {
    type: update.type,
    status: update.status,
    reason: update.reason,
    ...(update.message !== undefined ? { message: update.message } : {}),
    lastTransitionTime: statusChanged || !existing ? ctx.now : existing.lastTransitionTime,
    ...(ctx.generation !== undefined ? { observedGeneration: ctx.generation } : {}),
  };
  const conditions = existing ? list.map((c) => (c.type === update.type ? next : c)) : [...list, next];
  return { conditions, transitioned: statusChanged || existing?.reason !== update.reason };
}

/** Removes a condition (DeletionBlocked exists only while blocked; ParallelismAligned only while Autopilot is ACTIVE). */
export function removeCondition(list: readonly Condition[], type: ConditionType): Condition[] {
  return list.filter((c) => c.type !== type);
}

/** Finds a condition by type. */
export function findCondition(list: readonly Condition[] | undefined, type: ConditionType): Condition | undefined {
  return list?.find((c) => c.type === type);
}

const HEALTH_INPUTS: readonly ConditionType[] = [CONSISTENT, SPEC_ALIGNED, NONCE_ALIGNED];

/** The JobFailed message: the state, and how a user recovers (README "Recovering a FAILED deployment"). */
export function jobFailedMessage(actualState: string, desiredState: string | undefined): string {
  const against = desiredState === 'RUNNING' ? ' while its desired state is RUNNING' : '';
  return `VVP reports the deployment ${actualState}${against}: fix the cause the VVP events name, then change the spec (a new job attempt) or set the state CANCELLED and back to RUNNING; see README "Recovering a FAILED deployment"`;
}

/**
 * Healthy: True unless one of Consistent, SpecAligned, NonceAligned is False, DeletionBlocked is set, or the job
 * FAILED (or FINISHED while `desiredState` is RUNNING).
 */
export function healthOf(
  list: readonly Condition[],
  actualState: string | undefined,
  desiredState?: string,
): ConditionUpdate {
  for (const type of HEALTH_INPUTS) {
    const c = findCondition(list, type);
    if (c?.status === 'False')
      return {
        type: HEALTHY,
        status: 'False',
        reason: c.reason as Reason,
        ...(c.message ? { message: c.message } : {}),
      };
  }
  const blocked = findCondition(list, DELETION_BLOCKED);
  if (blocked?.status === 'True')
    return {
      type: HEALTHY,
      status: 'False',
      reason: Reasons.DeploymentActive,
      ...(blocked.message ? { message: blocked.message } : {}),
    };
  if (actualState !== undefined && isTerminalMismatch(desiredState, actualState))
    return {
      type: HEALTHY,
      status: 'False',
      reason: Reasons.JobFailed,
      message: jobFailedMessage(actualState, desiredState),
    };
  return { type: HEALTHY, status: 'True', reason: Reasons.Healthy };
}

/** Ready: True/Converged when Healthy, actual state = desired and observedGeneration = generation. */
export function readinessOf(
  health: ConditionUpdate,
  facts: {
    desiredState: string | undefined;
    actualState: string | undefined;
    generation: number | undefined;
    observedGeneration: number | undefined;
  },
): ConditionUpdate {
  if (health.status === 'False') return { ...health, type: READY };
  if (facts.desiredState === facts.actualState && facts.generation === facts.observedGeneration) {
    return { type: READY, status: 'True', reason: Reasons.Converged };
  }
  const message = `waiting for actual state ${facts.desiredState ?? 'unset'} (now ${facts.actualState ?? 'unknown'})`;
  return { type: READY, status: 'False', reason: Reasons.Progressing, message };
}

/** Applies Healthy and Ready derived from the other conditions. */
export function withSummary(
  list: readonly Condition[],
  facts: {
    desiredState: string | undefined;
    actualState: string | undefined;
    generation: number | undefined;
    observedGeneration: number | undefined;
  },
  ctx: ConditionContext,
): Condition[] {
  const health = healthOf(list, facts.actualState, facts.desiredState);
  let conditions = setCondition(list, health, ctx).conditions;
  conditions = setCondition(conditions, readinessOf(health, facts), ctx).conditions;
  return conditions;
}
