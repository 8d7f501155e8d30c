/** Projection (PATCH, or GET + PUT with carried annotations) and desired-state changes, through the sync strategy table. */
import { projectedMessage } from '../../../core/src/events';
import type { DeploymentRef, VvpDeployment } from '../../../core/src/model/deployment';
import type { Deployment, SyncingMode } from '../../../core/src/model/generated';
import type { Ownership } from '../../../core/src/ownership';
import { buildPatchBody, buildStatePatch, syncModes } from '../../../core/src/sync/index';
import { eventTarget, recordEvent, reportKept, type WorkflowContext } from './context';
import { explainRefusal } from './refusal';

/** One projection. */
export interface ProjectRequest {
  ref: DeploymentRef;
  mode: SyncingMode;
  desired: Deployment;
  ownership: Ownership;
  /** The deployment as last read, when the caller has it (saves the GET of a PUT). */
  current?: VvpDeployment | undefined;
  /** The desired state before this projection, for the event; @default current's spec state */
  fromState?: string | undefined;
}

/**
 * Projects the definition (the strategy picks PATCH or GET + PUT), reports the fields VVP did not keep and posts the
 * "projected" VVP event. A refusal naming a missing deployment target or session cluster says so (refusal.ts).
 */
export async function project(ctx: WorkflowContext, request: ProjectRequest): Promise<VvpDeployment> {
  const { ref, desired } = request;
  const strategy = syncModes[request.mode];
  const before = strategy.readsBeforeProject
    ? (request.current ?? (await ctx.client.getDeployment(ref.namespace, ref.name)))
    : request.current;
  const body = strategy.projectBody(desired, before, request.ownership);
  let next: VvpDeployment;
  try {
    next =
      strategy.projectMethod === 'PUT'
        ? await ctx.client.putDeployment(ref.namespace, ref.name, body)
        : await ctx.client.patchDeployment(ref.namespace, ref.name, body);
  } catch (err) {
    throw await explainRefusal(ctx, ref.namespace, desired, err);
  }
  reportKept(ctx, body, next);
  const from = request.fromState ?? before?.spec.state;
  await recordEvent(
    ctx,
    eventTarget(next),
    projectedMessage(ctx.actor, request.mode, { from, to: desired.spec?.state ?? from }),
  );
  return next;
}

/** Sets only the desired state (PATCH, stamped) and posts the "projected … state change" VVP event. */
export async function setDesiredState(
  ctx: WorkflowContext,
  request: {
    ref: DeploymentRef;
    state: 'RUNNING' | 'CANCELLED' | 'SUSPENDED';
    ownership: Ownership;
    from?: string | undefined;
  },
): Promise<VvpDeployment> {
  const { ref, state } = request;
  const next = await ctx.client.patchDeployment(
    ref.namespace,
    ref.name,
    buildPatchBody(buildStatePatch(state), request.ownership),
  );
  await recordEvent(ctx, eventTarget(next), projectedMessage(ctx.actor, 'PATCH', { from: request.from, to: state }));
  return next;
}
