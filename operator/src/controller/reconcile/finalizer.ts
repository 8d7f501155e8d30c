/** Adding and removing the operator's finalizer on a CR (optimistic: a 409 retries the reconcile from a fresh GET). */
import { isConflict } from '../../../../core/src/errors';
import { FINALIZER } from '../../../../core/src/model/deployment';
import type { VvpDeploymentResource } from '../../kube/types';
import { StepEnd, type ReconcileContext } from './context';

/** Adds the finalizer to a CR that lacks it; returns the CR as written. */
export async function addFinalizer(
  ctx: Pick<ReconcileContext, 'deps' | 'memory' | 'key'>,
  cr: VvpDeploymentResource,
): Promise<VvpDeploymentResource | undefined> {
  let written: VvpDeploymentResource | undefined;
  try {
    written = await ctx.deps.kube.setFinalizers(cr, [...(cr.metadata.finalizers ?? []), FINALIZER]);
  } catch (err) {
    if (isConflict(err, 'kubernetes')) {
      ctx.memory.stale.add(ctx.key);
      throw new StepEnd({ result: 'retry', message: 'CR changed while adding the finalizer' }, false);
    }
    throw err;
  }
  ctx.memory.ownWrites.record(written);
  return written;
}

/** Removes the finalizer (Kubernetes then deletes the CR) and ends the reconcile as `deleted`. */
export async function removeFinalizer(ctx: ReconcileContext, why: string): Promise<never> {
  const { cr } = ctx;
  const rest = (cr.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
  try {
    await ctx.deps.kube.setFinalizers(cr, rest);
  } catch (err) {
    if (isConflict(err, 'kubernetes')) {
      ctx.memory.stale.add(ctx.key);
      throw new StepEnd({ result: 'retry', message: 'CR changed while removing the finalizer' }, false);
    }
    throw err;
  }
  ctx.deps.log.info({ key: ctx.key, why }, 'finalizer removed');
  ctx.memory.ownWrites.forget(ctx.key);
  ctx.memory.restartFollow.delete(ctx.key);
  throw new StepEnd({ result: 'deleted', message: why }, false);
}
