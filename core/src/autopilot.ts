/**
 * Autopilot (ADR 0010 emulates it, ADR 0011 decides how the tools consume it): the policy status VVP reports, the
 * fields Autopilot owns while ACTIVE, and the ParallelismAligned condition. Pure.
 */
import { PARALLELISM_ALIGNED, Reasons, type ConditionUpdate } from './conditions';
import { clone, dropEmpty, getPath, setPath, type JsonObject } from './json';
import { isUnder } from './kept-fields';
import type { Deployment } from './model/generated';

/** The policy modes. */
export const AutopilotModes = {
  DISABLED: 'AUTOPILOT_MODE_DISABLED',
  MONITORING: 'AUTOPILOT_MODE_MONITORING',
  ACTIVE: 'AUTOPILOT_MODE_ACTIVE',
} as const;

/** `GET …/autopilotpolicy:status`. */
export interface AutopilotStatus {
  mode: string;
  scalingInProgress?: boolean;
  /** The parallelism the running job has now; absent when no job runs. */
  runtimeParallelism?: number;
}

/**
 * The fields Autopilot changes in the deployment spec while ACTIVE (VVP 2.x PATCHes them; VVP 3 acts at runtime and
 * leaves the template alone): never re-projected over Autopilot's values, shown by refresh as a warning only.
 */
export const AUTOPILOT_OWNED_FIELDS = ['spec.template.spec.parallelism', 'spec.template.spec.resources'] as const;

/** True when Autopilot steers the deployment (mode ACTIVE). */
export function autopilotActive(status: AutopilotStatus | undefined): boolean {
  return status?.mode === AutopilotModes.ACTIVE;
}

/** True while an Autopilot scaling operation runs: no state re-projection, no nonce processing (contract §4). */
export function autopilotScaling(status: AutopilotStatus | undefined): boolean {
  return autopilotActive(status) && status?.scalingInProgress === true;
}

/** The paths of `paths` (text) that Autopilot owns. */
export function autopilotOwnedPaths(paths: readonly string[]): string[] {
  return paths.filter((p) => isUnder(p, AUTOPILOT_OWNED_FIELDS));
}

/**
 * The definition to re-project while Autopilot is ACTIVE: the Autopilot-owned leaves take the values VVP holds
 * (`current`), so neither a PATCH nor a PUT undoes Autopilot; where VVP holds none, the definition's value stays.
 */
export function keepAutopilotFields(desired: Deployment, current: { spec?: unknown }): Deployment {
  const out = clone(desired ?? {}) as JsonObject;
  for (const field of AUTOPILOT_OWNED_FIELDS) {
    const segments = field.split('.');
    const held = getPath(current, segments);
    if (held === undefined || getPath(desired, segments) === undefined) continue;
    setPath(out, segments, held);
  }
  return dropEmpty(out) as Deployment;
}

/**
 * ParallelismAligned while Autopilot is ACTIVE: the CR's parallelism against the job's runtime parallelism.
 * `remove`: Autopilot is not ACTIVE (the condition exists only while it is); `keep`: nothing to compare now (no job
 * runs, or the CR sets no parallelism), the condition stays as it was.
 */
export function parallelismAlignment(
  desired: Deployment,
  status: AutopilotStatus | undefined,
): { action: 'remove' } | { action: 'keep' } | { action: 'set'; update: ConditionUpdate } {
  if (!autopilotActive(status)) return { action: 'remove' };
  const wanted = desired.spec?.template?.spec?.parallelism;
  const runtime = status?.runtimeParallelism;
  if (typeof wanted !== 'number' || typeof runtime !== 'number') return { action: 'keep' };
  if (wanted === runtime)
    return {
      action: 'set',
      update: {
        type: PARALLELISM_ALIGNED,
        status: 'True',
        reason: Reasons.RuntimeParallelismMatches,
        message: `Autopilot is ACTIVE; the job runs with the CR's parallelism ${wanted}`,
      },
    };
  return {
    action: 'set',
    update: {
      type: PARALLELISM_ALIGNED,
      status: 'False',
      reason: Reasons.AutopilotOverride,
      message: `Autopilot is ACTIVE and runs the job with parallelism ${runtime} where the CR says ${wanted} (informational)`,
    },
  };
}
