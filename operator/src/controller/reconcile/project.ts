/** Step: project the definition onto VVP when core's projection gate says so, and record SpecAligned. */
import { Reasons, SPEC_ALIGNED } from '../../../../core/src/conditions';
import { observedDefinition } from '../../../../core/src/drift';
import { isTransient, isUnauthorized, messageOf } from '../../../../core/src/errors';
import { differingPaths, formatPath, getPath } from '../../../../core/src/json';
import type { VvpDeployment } from '../../../../core/src/model/deployment';
import { decideProjection } from '../../../../core/src/projection-gate';
import { autopilotActive, keepAutopilotFields } from '../../../../core/src/autopilot';
import { project } from '../../../../vvp-client/src/index';
import { autopilotOf, suppressedByAutopilot } from './autopilot';
import { EventReasons } from '../events';
import type { DeploymentContext } from './context';

/** How many changed fields a ConfigUpdated message names. */
const FIELDS_NAMED = 8;

/** Runs the gate and, when it says so, the projection; returns the deployment as VVP holds it afterwards. */
export async function projectStep(
  ctx: DeploymentContext,
  current: VvpDeployment,
  how: { firstSight: boolean },
): Promise<VvpDeployment> {
  const { cr, draft, desired, spec } = ctx;
  const mode = spec.syncingMode;
  const generation = cr.metadata.generation;
  const specAligned = draft.get(SPEC_ALIGNED);
  const decision = decideProjection({
    mode,
    desired,
    current,
    ownership: ctx.ownership,
    generation,
    observedGeneration: cr.status?.observedGeneration,
    projectedDigest: cr.status?.projectedDigest,
    failedThisGeneration:
      specAligned?.reason === Reasons.ProjectionFailed && specAligned.observedGeneration === generation,
    firstSight: how.firstSight,
    changedByOthers: ctx.memory.ownWrites.changedByOthers(ctx.key, cr.metadata.resourceVersion),
    notKept: cr.status?.fieldsNotKept,
  });
  const unchanged = (message: string) =>
    draft.set({ type: SPEC_ALIGNED, status: 'True', reason: Reasons.SpecUnchanged, message });
  if (decision.action === 'skip') {
    if (specAligned?.reason === Reasons.StateProjectionSuppressedAutopilot)
      unchanged('the Autopilot scaling operation ended; VVP holds the CR definition');
    else if (decision.note === 'metadata-only')
      unchanged(`metadata.generation ${generation} was already projected; only metadata or status changed`);
    return current;
  }
  if (decision.action === 'record') {
    draft.status.observedGeneration = generation;
    if (decision.why === 'no-projected-field') {
      // the spec changed, but not the definition: nonces and settings run on their own path (contract §5)
      unchanged(`metadata.generation ${generation} changed no projected field (mode=${mode})`);
      return current;
    }
    draft.status.projectedDigest = decision.digest;
    if (how.firstSight)
      draft.set({
        type: SPEC_ALIGNED,
        status: 'True',
        reason: Reasons.ConfigUpdated,
        message: 'deployment adopted; VVP already holds the CR definition',
      });
    else unchanged('VVP already holds the CR definition; nothing to project');
    return current;
  }
  const before = current.spec.state;
  // VVP's desired state moved away from the one projected last (drift, not a user's edit): an Autopilot scaling may
  // have moved it (ADR 0011), so its status is read now, and only now
  let body = desired;
  const drifted =
    desired.spec?.state !== undefined && before !== desired.spec.state && before !== cr.status?.observedSpecState;
  if (drifted && !decision.unstamped) {
    if (await suppressedByAutopilot(ctx, current)) return current;
    // Autopilot ACTIVE: re-projecting the drifted state leaves the fields Autopilot owns at its values
    if (decision.driftOnly && autopilotActive(await autopilotOf(ctx, current)))
      body = keepAutopilotFields(desired, current);
  }
  let next: VvpDeployment;
  try {
    next = await project(ctx.flow, { ref: ctx.target, mode, desired: body, ownership: ctx.ownership, current });
  } catch (err) {
    if (isTransient(err) || isUnauthorized(err, 'vvp')) throw err;
    const message = `projecting to deployment ${ctx.target.namespace}/${ctx.target.name} (mode=${mode}) failed: ${messageOf(err)}`;
    draft.set({ type: SPEC_ALIGNED, status: 'False', reason: Reasons.ProjectionFailed, message });
    await ctx.deps.recorder.emit(cr, 'Warning', EventReasons.ProjectionFailed, message);
    return current;
  }
  draft.status.observedGeneration = generation;
  draft.status.projectedDigest = decision.digest;
  const message = decision.driftOnly
    ? `re-projected desired state ${desired.spec?.state} (VVP had ${before ?? 'unset'}) (mode=${mode})`
    : `projected generation ${generation} (mode=${mode}): ${changedFields(ctx, current, decision.unstamped)}`;
  draft.set({ type: SPEC_ALIGNED, status: 'True', reason: Reasons.ConfigUpdated, message });
  const reason = decision.driftOnly ? EventReasons.StateReprojected : EventReasons.ConfigUpdated;
  await ctx.deps.recorder.emit(cr, 'Normal', reason, message);
  return next;
}

/** The fields a projection changed, for the message. */
function changedFields(ctx: DeploymentContext, current: VvpDeployment, unstamped: boolean): string {
  const { desired } = ctx;
  const paths = differingPaths(desired, observedDefinition(current, { withDescription: true }))
    .filter((p) => getPath(desired, p) !== undefined)
    .map(formatPath);
  if (paths.length === 0) return unstamped ? 'ownership stamp' : 'full definition';
  const more = paths.length > FIELDS_NAMED ? `, … (${paths.length} fields)` : '';
  return paths.slice(0, FIELDS_NAMED).join(', ') + more;
}
