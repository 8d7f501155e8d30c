/** Step: what the status reports after the actions — savepoint progress, states, job id — and writing it. */
import { findCondition, HEALTHY, READY, withSummary, type Condition } from '../../../../core/src/conditions';
import { messageOf } from '../../../../core/src/errors';
import { deepEqual } from '../../../../core/src/json';
import type { VvpDeployment } from '../../../../core/src/model/deployment';
import type { VvpDeploymentStatus } from '../../../../core/src/model/generated';
import { isMoving } from '../../../../core/src/state';
import type { DeploymentContext, ReconcileContext } from './context';

/** Follows a STARTED savepoint recorded by an earlier reconcile (best effort). */
async function followSavepoint(ctx: DeploymentContext): Promise<void> {
  const { draft } = ctx;
  const last = draft.status.lastSavepoint;
  if (!last?.savepointId || last.state !== 'STARTED' || !deepEqual(last, draft.cr.status?.lastSavepoint)) return;
  try {
    const sp = await ctx.vvp.getSavepoint(ctx.target.namespace, last.savepointId);
    draft.status.lastSavepoint = {
      ...last,
      state: sp.status?.state ?? last.state,
      ...(sp.spec.savepointLocation ? { location: sp.spec.savepointLocation } : {}),
    };
  } catch (err) {
    ctx.deps.log.debug({ savepointId: last.savepointId, err: messageOf(err) }, 'savepoint state not available');
  }
}

/** Records what VVP reports and returns whether the CR must be polled (something is still moving). */
export async function observeStep(ctx: DeploymentContext, current: VvpDeployment): Promise<boolean> {
  const { draft, key } = ctx;
  await followSavepoint(ctx);
  const actual = current.status?.state;
  const desiredState = ctx.desired.spec?.state;
  if (desiredState !== undefined) draft.status.observedSpecState = desiredState;
  if (actual !== undefined) draft.status.actualState = actual;
  const jobId = current.status?.running?.jobId;
  if (jobId) draft.status.jobId = jobId;
  const follow = ctx.memory.restartFollow.get(key);
  if (follow && (jobId !== follow.jobId || ctx.deps.now().getTime() > follow.until))
    ctx.memory.restartFollow.delete(key);
  return (
    isMoving(desiredState, actual) ||
    draft.status.lastSavepoint?.state === 'STARTED' ||
    ctx.memory.restartFollow.has(key) ||
    (ctx.deleting && actual === 'TRANSITIONING')
  );
}

/** Writes the status (with Healthy and Ready derived) when it changed; remembers the write as our own. */
export async function writeStatus(ctx: ReconcileContext): Promise<void> {
  const { draft, deps } = ctx;
  const generation = draft.cr.metadata.generation;
  const conditions = withSummary(
    draft.conditions,
    {
      desiredState: draft.status.observedSpecState,
      actualState: draft.status.actualState,
      generation,
      observedGeneration: draft.status.observedGeneration,
    },
    { now: draft.now, generation },
  );
  const next: VvpDeploymentStatus = { ...draft.status, conditions };
  const before = draft.cr.status ?? {};
  if (deepEqual(before, next)) return;
  const patch: Record<string, unknown> = { ...next };
  for (const k of Object.keys(before)) if (!(k in next)) patch[k] = null;
  const written = await deps.kube.patchStatus(draft.cr.metadata.namespace, draft.cr.metadata.name, patch);
  deps.hooks?.onStatusWrite?.();
  ctx.memory.ownWrites.record(written);
  const healthy = findCondition(conditions, HEALTHY);
  const wasHealthy = findCondition((before.conditions ?? []) as Condition[], HEALTHY);
  if (healthy && wasHealthy && healthy.status !== wasHealthy.status && healthy.status === 'False')
    deps.log.info({ key: ctx.key, reason: healthy.reason }, 'CR became unhealthy');
  const ready = findCondition(conditions, READY);
  deps.log.debug({ key: ctx.key, ready: ready?.status, reason: ready?.reason }, 'status written');
}
